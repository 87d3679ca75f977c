import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError, isProcessAlive } from '@slipway/core';
import { createApiClient, type ApiClient } from './api.js';
import { devClusterBinDir, missingBinaries } from './binaries.js';
import { createPki } from './certificates.js';
import { componentArgs, type ClusterPorts } from './component-args.js';
import { renderKubeconfig } from './kubeconfig.js';
import { fakeNode } from './nodes.js';
import { freeLoopbackPorts } from './ports.js';
import { logTail, sleep, spawnComponent } from './processes.js';
import { components, isClusterDir, logDir, markerFile, readState, writeState, type ClusterState, type Component } from './state.js';
import { devClusterStatus } from './status.js';
import { stopDevCluster } from './stop.js';
import { assertRealNodeCanRun, defaultRunnerImage, dockerHasImage, loadImages, realNodeDir, realNodeReady, realNodeUp, startRealNode, stopRealNode } from './real-node.js';

export interface DevClusterOptions {
  /** Where the certificates, etcd's data, the logs, the pids and the kubeconfig live; `down` removes it. */
  stateDir: string;
  /** The directory with the binaries; default devClusterBinDir(). */
  binDir?: string;
  /** How many fake (kwok) nodes to create; default 3. */
  nodes?: number;
  /** How long to wait for the control plane to be ready; default 60 s (the real node has its own deadlines). */
  timeoutMs?: number;
  /**
   * Adds one real node (kubelet + containerd on this machine, scripts/dev-cluster/real-node.sh) to the kwok nodes, where
   * pods really run. It is tainted; pods select it with {@link realNodePlacement}. `images` are local Docker images to
   * load into it (default: slipway/runner:latest when Docker has it). Needs root, containerd, runc, the CNI plugins and
   * Docker: without them the start fails with SLW_DEV_CLUSTER and what to install.
   */
  realNode?: boolean | { images?: string[] };
  onProgress?: (message: string) => void;
}

/** A running dev cluster. stop() is stopDevCluster(stateDir). */
export interface DevCluster {
  /** Path of the admin kubeconfig. */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  stateDir: string;
  /** True when `up` found this cluster already running and only reported it. */
  reused: boolean;
  stop(): Promise<void>;
}

const handle = (state: ClusterState, stateDir: string, reused: boolean): DevCluster => ({
  kubeconfig: state.kubeconfig,
  server: state.server,
  stateDir,
  reused,
  stop: () => stopDevCluster(stateDir),
});

/**
 * Starts a Kubernetes control plane on loopback from the binaries in binDir: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok faking `nodes` nodes. Resolves once /readyz is ok, every node is
 * Ready and the `default` ServiceAccount exists. A cluster already running in stateDir is reported, not restarted; a
 * dead or half-started one is cleaned away first. On failure everything started is stopped and the logs are kept.
 */
export async function startDevCluster(options: DevClusterOptions): Promise<DevCluster> {
  const { stateDir } = options;
  const binDir = options.binDir ?? devClusterBinDir();
  const nodes = options.nodes ?? 3;
  const progress = options.onProgress ?? (() => {});
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);

  const missing = missingBinaries(binDir);
  if (missing.length > 0) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `the dev cluster binaries are missing in ${binDir}: ${missing.join(', ')}`, {
      hint: 'Build them once with scripts/dev-cluster/build.sh (needs Go; about 6 minutes on 2 cores), or point SLIPWAY_K8S_BIN at a directory that has them.',
    });
  }
  if (!Number.isInteger(nodes) || nodes < 1) throw new SlipwayError('SLW_USAGE', `--nodes must be a positive integer, not ${nodes}`);
  // Before the control plane's 8 s: a machine that cannot run the real node says so at once.
  if (options.realNode && !(await realNodeUp(stateDir))) assertRealNodeCanRun(binDir);

  const existing = await devClusterStatus(stateDir);
  if (existing.running && existing.ready) {
    progress(`already running at ${existing.server}`);
    const state = readState(stateDir)!;
    if (options.realNode) await addRealNode(stateDir, state, binDir, options.realNode, progress);
    return handle(state, stateDir, true);
  }
  if (isClusterDir(stateDir)) {
    progress('cleaning up a stopped or half-started cluster');
    await stopDevCluster(stateDir);
  }

  const started = Date.now();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, markerFile), 'A Slipway dev cluster; `slipway dev-cluster down` removes this directory.\n');
  const logs = logDir(stateDir);
  const pkiDir = join(stateDir, 'pki');
  mkdirSync(logs, { recursive: true });
  mkdirSync(pkiDir, { recursive: true });
  writeFileSync(join(stateDir, 'kwok.yaml'), 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\n');

  progress('generating certificates');
  const pki = await createPki(pkiDir);
  const [etcdClient, etcdPeer, apiserver] = await freeLoopbackPorts(3);
  const ports: ClusterPorts = { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver! };
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const tls = { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey };
  const kubeconfig = join(stateDir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig(server, tls), { mode: 0o600 });
  const state: ClusterState = { server, kubeconfig, binDir, nodes, pids: {}, startedAt: new Date().toISOString() };
  writeState(stateDir, state);

  const launch = (component: Component) => {
    state.pids[component] = spawnComponent(component, join(binDir, component), componentArgs(component, stateDir, ports, pki, kubeconfig), logs);
    writeState(stateDir, state);
  };
  const api = createApiClient(server, tls);
  try {
    progress(`starting etcd and kube-apiserver on ${server}`);
    launch('etcd');
    launch('kube-apiserver');
    await waitFor('kube-apiserver /readyz', deadline, state, logs, async () => (await api.call('GET', '/readyz')).status === 200);
    progress('starting kube-controller-manager, kube-scheduler and kwok');
    for (const component of components.slice(2)) launch(component);
    progress(`creating ${nodes} node${nodes === 1 ? '' : 's'}`);
    for (let i = 0; i < nodes; i++) await createNode(api, `kwok-node-${i}`);
    await waitFor(`${nodes} Ready nodes`, deadline, state, logs, async () => (await readyNodes(api)) >= nodes);
    progress('nodes Ready; waiting for the default ServiceAccount');
    await waitFor('the default ServiceAccount', deadline, state, logs, async () => (await api.call('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
  } catch (err) {
    await stopDevCluster(stateDir, { keepStateDir: true });
    throw err;
  }
  state.readyAt = new Date().toISOString();
  writeState(stateDir, state);
  progress(`control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (options.realNode) {
    try {
      await addRealNode(stateDir, state, binDir, options.realNode, progress);
    } catch (err) {
      await stopDevCluster(stateDir, { keepStateDir: true });
      throw err;
    }
    progress(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return handle(state, stateDir, false);
}

/** Starts the real node unless it is up and Ready already, then loads the images (again: a tag may have moved). */
async function addRealNode(stateDir: string, state: ClusterState, binDir: string, option: true | { images?: string[] }, progress: (message: string) => void): Promise<void> {
  let images = option === true ? undefined : option.images;
  if (images === undefined) {
    images = dockerHasImage(defaultRunnerImage) ? [defaultRunnerImage] : [];
    if (images.length === 0) progress(`${defaultRunnerImage} is not in Docker, so not loaded onto the real node (\`slipway images base\` builds it)`);
  }
  const api = createApiClient(state.server, { ca: join(stateDir, 'pki', 'ca.crt'), cert: join(stateDir, 'pki', 'admin.crt'), key: join(stateDir, 'pki', 'admin.key') });
  if (state.realNode && (await realNodeReady(api).catch(() => false))) {
    if (images.length > 0) await loadImages(stateDir, images, { binDir, onProgress: progress });
    return;
  }
  // A real node that is not Ready (its kubelet died, a half-finished start) is cleaned away before a new one starts.
  await stopRealNode(stateDir, binDir);
  state.realNode = true;
  writeState(stateDir, state);
  progress(`starting the real node (state in ${realNodeDir(stateDir)})`);
  await startRealNode(stateDir, state.kubeconfig, binDir, images, progress);
}

async function createNode(api: ApiClient, name: string): Promise<void> {
  const res = await api.call('POST', '/api/v1/nodes', fakeNode(name));
  if (res.status !== 201 && res.status !== 409) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `creating node ${name} failed with HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

async function readyNodes(api: ApiClient): Promise<number> {
  type NodeList = { items?: { status?: { conditions?: { type: string; status: string }[] } }[] };
  const res = await api.call<NodeList>('GET', '/api/v1/nodes');
  if (res.status !== 200) return 0;
  return (res.body.items ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/** Polls check until it holds; fails early, with the component's log, when a component died. */
async function waitFor(what: string, deadline: number, state: ClusterState, logs: string, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    for (const [component, pid] of Object.entries(state.pids)) {
      if (!isProcessAlive(pid)) {
        throw new SlipwayError('SLW_DEV_CLUSTER', `${component} exited while waiting for ${what}; its log ends with:\n${logTail(logs, component)}`, {
          hint: `The logs are in ${logs}; \`slipway dev-cluster down\` cleans up.`,
        });
      }
    }
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new SlipwayError('SLW_DEV_CLUSTER', `timed out waiting for ${what}`, { hint: `The logs are in ${logs}; \`slipway dev-cluster down\` cleans up.` });
    }
    await sleep(100);
  }
}
