import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '@slipway/core';
import type { ApiClient } from './api.js';
import { devClusterBinDir } from './binaries.js';

/** The real node's name (scripts/dev-cluster/real-node.sh), also its `kubernetes.io/hostname` label. */
export const realNodeName = 'slipway-node';

/**
 * The taint the real node registers with. The dev cluster's workloads (the demo, the target tests) use images nothing
 * could pull here and belong on the kwok nodes; a pod that must really run tolerates this and selects the node by name.
 */
export const realNodeTaint = { key: 'slipway.dev/real-node', value: 'true', effect: 'NoSchedule' } as const;

/** What a pod needs to run on the real node: the node selector and the toleration of its taint. */
export const realNodePlacement = {
  nodeSelector: { 'kubernetes.io/hostname': realNodeName },
  tolerations: [{ ...realNodeTaint, operator: 'Equal' }],
};

/** The image a CI job without `container:` runs in (scripts/build-base-image.sh), loaded onto the real node by default. */
export const defaultRunnerImage = 'slipway/runner:latest';

/** The real node's state lives inside the cluster's, so that `down` and the orphan cleanup of tests find it. */
export const realNodeDir = (stateDir: string) => join(stateDir, 'real-node');

const scriptPath = 'scripts/dev-cluster/real-node.sh';

/** real-node.sh, found by walking up from this module: its source in a checkout, or dist/ for the bundled CLI. */
export function realNodeScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, scriptPath))) return join(dir, scriptPath);
    dir = dirname(dir);
  }
  throw new SlipwayError('SLW_DEV_CLUSTER', `${scriptPath} was not found next to this Slipway`, { hint: 'The real node runs from a Slipway checkout.' });
}

const scriptEnv = (binDir: string) => ({ ...process.env, K8S_BIN: binDir });

/**
 * Why a real node cannot run on this machine (`real-node.sh check`: root, containerd, runc, the CNI plugins, Docker,
 * the kubelet, a free bridge and port), or undefined when it can. Synchronous, for tests deciding whether to skip.
 */
export function realNodeUnavailable(binDir: string = devClusterBinDir()): string | undefined {
  try {
    execFileSync('bash', [realNodeScript(), 'check'], { env: scriptEnv(binDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return undefined;
  } catch (err) {
    const out = (err as { stdout?: string }).stdout?.trim();
    return out ? out.split('\n').join('; ') : (err as Error).message;
  }
}

/** Throws SLW_DEV_CLUSTER with what to install when this machine cannot run a real node. */
export function assertRealNodeCanRun(binDir: string): void {
  const lacking = realNodeUnavailable(binDir);
  if (lacking) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `a real node cannot run on this machine: ${lacking}`, {
      hint: 'Run as root on Linux with Debian\'s containerd, runc and containernetworking-plugins and a Docker daemon (docs/kubernetes.md, "The real node"), or leave out --real-node.',
    });
  }
}

/** True while the real node of the cluster in stateDir has a live kubelet (its check would see its bridge and port taken). */
export async function realNodeUp(stateDir: string): Promise<boolean> {
  try {
    const pid = Number(await readFile(join(realNodeDir(stateDir), 'kubelet.pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs real-node.sh, each line it logs to progress; fails with its last lines. */
function runScript(args: string[], binDir: string, progress: (message: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [realNodeScript(), ...args], { env: scriptEnv(binDir), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    const collect = (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        progress(line.replace(/^\[real-node [\d:]+\] /, 'real node: '));
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (partial) lines.push(partial);
      if (code === 0) resolve();
      else reject(new Error(`real-node.sh ${args[0]} exited with ${code}:\n${lines.slice(-15).join('\n')}`));
    });
  });
}

/**
 * Starts the real node (kubelet + its own containerd + bridge CNI, as `slipway-node`) for the cluster whose admin
 * kubeconfig is given, waits for it to be Ready, and loads the images into its containerd. Fails with SLW_DEV_CLUSTER
 * and what to install when this machine cannot run it.
 */
export async function startRealNode(stateDir: string, kubeconfig: string, binDir: string, images: string[], progress: (message: string) => void): Promise<void> {
  assertRealNodeCanRun(binDir);
  const dir = realNodeDir(stateDir);
  mkdirSync(dir, { recursive: true });
  try {
    await runScript(['up', kubeconfig, dir], binDir, progress);
  } catch (err) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `the real node did not start: ${(err as Error).message}`, { hint: `Its logs are in ${join(dir, 'logs')}; \`slipway dev-cluster down\` cleans up.`, cause: err });
  }
  if (images.length > 0) await loadImages(stateDir, images, { binDir, onProgress: progress });
}

/**
 * Copies local Docker images into the real node's containerd (`docker save | ctr images import`), so that its pods run
 * them without a registry. A pod with a `latest` tag must say imagePullPolicy IfNotPresent, or the kubelet tries a pull.
 */
export async function loadImages(stateDir: string, images: string[], options: { binDir?: string; onProgress?: (message: string) => void } = {}): Promise<void> {
  const progress = options.onProgress ?? (() => {});
  const started = Date.now();
  try {
    await runScript(['load', realNodeDir(stateDir), ...images], options.binDir ?? devClusterBinDir(), progress);
  } catch (err) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `loading ${images.join(', ')} onto the real node failed: ${(err as Error).message}`, {
      hint: 'The images must be in the local Docker (`docker image ls`; `slipway images base` builds slipway/runner:latest) and the real node up (`slipway dev-cluster up --real-node`).',
      cause: err,
    });
  }
  progress(`loaded ${images.join(', ')} onto ${realNodeName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** True when the local Docker has the image. */
export function dockerHasImage(image: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Stops the real node of the cluster in stateDir, if it has one, and undoes its changes to the host. */
export async function stopRealNode(stateDir: string, binDir: string = devClusterBinDir()): Promise<void> {
  if (!existsSync(realNodeDir(stateDir))) return;
  try {
    await runScript(['down', realNodeDir(stateDir)], binDir, () => {});
  } catch (err) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `stopping the real node failed: ${(err as Error).message}`, { hint: `Run \`bash ${realNodeScript()} down ${realNodeDir(stateDir)}\` by hand.`, cause: err });
  }
}

/** True when the real node is registered and Ready. */
export async function realNodeReady(api: ApiClient): Promise<boolean> {
  type Node = { status?: { conditions?: { type: string; status: string }[] } };
  const res = await api.call<Node>('GET', `/api/v1/nodes/${realNodeName}`);
  return res.status === 200 && (res.body.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}
