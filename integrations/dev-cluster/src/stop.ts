import { cpSync, existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '@slipway/core';
import { killGroups } from './processes.js';
import { realNodeDir, stopRealNode } from './real-node.js';
import { components, isClusterDir, logDir, readState } from './state.js';

/**
 * Stops the dev cluster in stateDir: first its real node, if any (real-node.sh down, while the API server can still
 * delete the node's pods and the node), then every component's process group gets SIGTERM, then SIGKILL after 2 s;
 * then the state directory is removed (unless keepStateDir, used to keep the logs of a failed start). A directory
 * without the dev-cluster marker is never removed. Nothing running is not an error.
 */
export async function stopDevCluster(stateDir: string, options: { keepStateDir?: boolean } = {}): Promise<void> {
  if (!isClusterDir(stateDir)) return;
  const state = readState(stateDir);
  // real-node.sh down removes its own directory: a failed start keeps the real node's logs with the others.
  if (options.keepStateDir && existsSync(join(realNodeDir(stateDir), 'logs'))) cpSync(join(realNodeDir(stateDir), 'logs'), join(logDir(stateDir), 'real-node'), { recursive: true });
  const realNodeError = await stopRealNode(stateDir, state?.binDir).then(
    () => undefined,
    (err: unknown) => err,
  );
  const pids = components.map((c) => state?.pids[c]).filter((pid): pid is number => pid !== undefined);
  // All at once: each component takes 2 to 3 s to shut down gracefully, and the data is thrown away anyway.
  await killGroups(pids, 2_000);
  if (realNodeError) throw realNodeError;
  if (options.keepStateDir) return;
  // A recursive remove would go through a bind mount left behind (a pod's hostPath volume: a job's workspace).
  const mounted = mountsUnder(stateDir);
  if (mounted.length > 0) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `the processes stopped but ${mounted.length} mount(s) are left under ${stateDir}: ${mounted.slice(0, 3).join(', ')}`, { hint: `Unmount them (umount -l), then remove ${stateDir} by hand.` });
  }
  try {
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `the processes stopped but ${stateDir} could not be removed: ${(err as Error).message}`, { hint: `Remove ${stateDir} by hand.`, cause: err });
  }
}

function mountsUnder(dir: string): string[] {
  let real: string;
  let mounts: string;
  try {
    real = realpathSync(dir);
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  return mounts
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${real}/`));
}
