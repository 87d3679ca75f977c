import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Kubernetes release that scripts/dev-cluster/build.sh builds by default. */
export const kubernetesVersion = '1.34.4';

/** Every binary the dev cluster runs, plus kubectl for users and tests (kubelet is built but not run: kwok fakes the nodes). */
export const requiredBinaries = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl'] as const;
export type DevClusterBinary = (typeof requiredBinaries)[number];

/** Where the binaries are: SLIPWAY_K8S_BIN, else the cache that scripts/dev-cluster/build.sh fills. */
export function devClusterBinDir(): string {
  const fromEnv = process.env.SLIPWAY_K8S_BIN;
  if (fromEnv) return fromEnv;
  const cache = process.env.SLIPWAY_K8S_CACHE ?? join(homedir(), '.cache', 'slipway', 'k8s');
  return join(cache, `v${kubernetesVersion}`, 'bin');
}

/** The binaries that are absent or not executable in binDir; empty when the dev cluster can start. */
export function missingBinaries(binDir: string = devClusterBinDir()): DevClusterBinary[] {
  return requiredBinaries.filter((name) => {
    try {
      accessSync(join(binDir, name), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}
