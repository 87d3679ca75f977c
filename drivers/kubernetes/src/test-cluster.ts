import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** For tests: the cluster to run against (kubeconfig and kubectl), or undefined to skip. */
export function testCluster(): { kubeconfig: string; kubectl: string } | undefined {
  const kubeconfig = process.env.SLIPWAY_TEST_KUBECONFIG;
  if (!kubeconfig || !existsSync(kubeconfig)) return undefined;
  const bin = process.env.SLIPWAY_K8S_BIN ?? join(homedir(), '.cache', 'slipway', 'k8s', 'v1.34.4', 'bin');
  return { kubeconfig, kubectl: join(bin, 'kubectl') };
}
