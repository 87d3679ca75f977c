import { join } from 'node:path';
import { devClusterBinDir } from '@slipway/dev-cluster';
import { kubernetesUnavailable, testKubeconfig } from '@slipway/testkit';

/**
 * For tests: the run's cluster (kubeconfig, and the kubectl built with it), or undefined to skip. Under
 * SLIPWAY_REQUIRE_SERVICES=1 a missing cluster fails instead. The driver's kustomize builds use the same kubectl.
 */
export function testCluster(): { kubeconfig: string; kubectl: string } | undefined {
  if (kubernetesUnavailable()) return undefined;
  const kubeconfig = testKubeconfig();
  if (!kubeconfig) return undefined;
  const kubectl = join(process.env.SLIPWAY_K8S_BIN ?? devClusterBinDir(), 'kubectl');
  process.env.SLIPWAY_KUBECTL ??= kubectl;
  return { kubeconfig, kubectl };
}
