import { rmSync } from 'node:fs';
import { SlipwayError } from '@slipway/core';
import { killGroups } from './processes.js';
import { components, isClusterDir, readState } from './state.js';

/**
 * Stops the dev cluster in stateDir: every component's process group gets SIGTERM, then SIGKILL after 2 s; then the state directory is removed (unless keepStateDir, used to keep the logs of a failed
 * start). A directory without the dev-cluster marker is never removed. Nothing running is not an error.
 */
export async function stopDevCluster(stateDir: string, options: { keepStateDir?: boolean } = {}): Promise<void> {
  if (!isClusterDir(stateDir)) return;
  const state = readState(stateDir);
  const pids = components.map((c) => state?.pids[c]).filter((pid): pid is number => pid !== undefined);
  // All at once: each component takes 2 to 3 s to shut down gracefully, and the data is thrown away anyway.
  await killGroups(pids, 2_000);
  if (options.keepStateDir) return;
  try {
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    throw new SlipwayError('SLW_DEV_CLUSTER', `the processes stopped but ${stateDir} could not be removed: ${(err as Error).message}`, { hint: `Remove ${stateDir} by hand.`, cause: err });
  }
}
