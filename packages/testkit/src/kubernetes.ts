import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { devClusterBinDir, missingBinaries } from '@slipway/dev-cluster';
import { serviceUnavailable } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The state directory of the run's shared dev cluster (dev-cluster-setup.ts); empty when there is none. */
    slipwayDevClusterStateDir: string;
  }
}

/** For tests: why to skip when no Kubernetes is at hand (it throws under SLIPWAY_REQUIRE_SERVICES=1). */
export function kubernetesUnavailable(): string | undefined {
  return serviceUnavailable('kubernetes', () => {
    if (process.env.SLIPWAY_TEST_KUBECONFIG) return undefined;
    const missing = missingBinaries();
    return missing.length === 0 ? undefined : `the dev cluster binaries are missing in ${devClusterBinDir()} (${missing.join(', ')}); build them with scripts/dev-cluster/build.sh`;
  });
}

let kubeconfig: string | undefined;

/**
 * The kubeconfig of the run's shared Kubernetes cluster, or undefined when there is none (check kubernetesUnavailable()
 * first). SLIPWAY_TEST_KUBECONFIG names an existing cluster. Otherwise the first call in the whole run starts the
 * shared dev cluster (about 8 s; it blocks), later calls and other workers reuse it, and the global setup stops it
 * after the run. Runs that never call this start nothing.
 */
export function testKubeconfig(): string | undefined {
  if (process.env.SLIPWAY_TEST_KUBECONFIG) return process.env.SLIPWAY_TEST_KUBECONFIG;
  if (kubeconfig) return kubeconfig;
  const stateDir = inject('slipwayDevClusterStateDir');
  if (!stateDir || missingBinaries().length > 0) return undefined;
  // Synchronous on purpose, so tests can call it while collecting; startDevCluster is async, so a child does the work.
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const starter = fileURLToPath(new URL('./start-test-cluster.ts', import.meta.url));
  kubeconfig = execFileSync(process.execPath, [tsx, starter, stateDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 }).trim();
  return kubeconfig;
}
