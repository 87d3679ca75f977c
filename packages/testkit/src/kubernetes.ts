import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { defaultRunnerImage, devClusterBinDir, missingBinaries, realNodeName, realNodePlacement, realNodeUnavailable as machineLacks } from '@slipway/dev-cluster';
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

/** Starts (or joins) the run's shared dev cluster in a child, synchronously; with --real-node it gets the real node too. */
function startShared(stateDir: string, realNode: boolean): string {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const starter = fileURLToPath(new URL('./start-test-cluster.ts', import.meta.url));
  // The CI jobs' image, and the base image the Kubernetes target runs an artifact on (no image built).
  const args = [tsx, starter, stateDir, ...(realNode ? ['--real-node', defaultRunnerImage, 'slipway/node:20'] : [])];
  return execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 180_000 }).trim();
}

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
  kubeconfig = startShared(stateDir, false);
  return kubeconfig;
}

/**
 * For tests: why to skip when the shared cluster cannot have a real node (it throws under SLIPWAY_REQUIRE_SERVICES=1):
 * the dev cluster's binaries, root, containerd, runc, the CNI plugins, Docker with the job image slipway/runner:latest,
 * and no other real node on this machine (one per machine: another run or a `slipway dev-cluster up --real-node` has it).
 */
export function realNodeUnavailable(): string | undefined {
  return serviceUnavailable('a real Kubernetes node', () => {
    if (process.env.SLIPWAY_TEST_KUBECONFIG) return 'SLIPWAY_TEST_KUBECONFIG names a cluster of its own, and the real node joins only the run\'s dev cluster';
    const missing = missingBinaries();
    if (missing.length > 0) return `the dev cluster binaries are missing in ${devClusterBinDir()} (${missing.join(', ')}); build them with scripts/dev-cluster/build.sh`;
    const stateDir = inject('slipwayDevClusterStateDir');
    if (!stateDir) return 'no shared dev cluster in this run (packages/testkit/src/dev-cluster-setup.ts is not a global setup)';
    // Started by another worker of this run already (or starting): its bridge and port are ours, not another node's.
    if (existsSync(join(stateDir, 'real-node'))) return undefined;
    const lacking = machineLacks();
    if (lacking) return `this machine cannot run it: ${lacking}`;
    try {
      execFileSync('docker', ['image', 'inspect', defaultRunnerImage], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      return `the job image ${defaultRunnerImage} is not in Docker (scripts/build-base-image.sh builds it)`;
    }
    return undefined;
  });
}

/** The run's real node: its cluster's kubeconfig, its name, and what a pod needs to land on it. */
export interface TestRealNode {
  kubeconfig: string;
  nodeName: string;
  /** The node selector and the toleration of the node's taint (the kwok nodes take every other pod). */
  placement: typeof realNodePlacement;
  /** Loaded into the node's containerd: pods run it with imagePullPolicy IfNotPresent (nothing is pulled). */
  image: string;
}

let realNode: TestRealNode | undefined;

/**
 * The real node of the run's shared dev cluster (a kubelet and containerd on this machine, where pods really run), or
 * undefined when there can be none (check realNodeUnavailable() first). The first call in the run adds it to the
 * shared cluster (starting that too if needed; about 5 s more, it blocks) and loads slipway/runner:latest into it.
 */
export function testRealNode(): TestRealNode | undefined {
  if (realNode) return realNode;
  const stateDir = inject('slipwayDevClusterStateDir');
  if (process.env.SLIPWAY_TEST_KUBECONFIG || !stateDir || missingBinaries().length > 0) return undefined;
  kubeconfig = startShared(stateDir, true);
  realNode = { kubeconfig, nodeName: realNodeName, placement: realNodePlacement, image: defaultRunnerImage };
  return realNode;
}

/** A Service as the node's kube-proxy should route it: its cluster IP and port, and the pod addresses behind it. */
export interface NodeRoute {
  clusterIP: string;
  port: number;
  /** `ip:port` of each ready endpoint. */
  endpoints: string[];
}

/**
 * Waits (bounded) until this machine's kube-proxy has programmed the routes into iptables: a rule for each cluster IP
 * and a DNAT to each endpoint. A driver is done when the API says the Service routes to its pods (its EndpointSlices);
 * a client on a node gets there once that node's kube-proxy has caught up, a few milliseconds later, which no API
 * shows. Tests whose client is the real node wait for that here. Returns what is still missing after `timeoutMs`.
 */
export async function waitForNodeProxy(routes: NodeRoute[], timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rules = execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).split('\n');
    const has = (...parts: string[]) => rules.some((line) => parts.every((p) => line.includes(p)));
    const missing = routes.flatMap((r) => [
      ...(has(`-d ${r.clusterIP}/32 `, `--dport ${r.port} `) ? [] : [`${r.clusterIP}:${r.port}`]),
      ...r.endpoints.filter((e) => !rules.some((line) => line.endsWith(`--to-destination ${e}`))),
    ]);
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
