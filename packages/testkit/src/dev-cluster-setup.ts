import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopDevCluster } from '@slipway/dev-cluster';

/**
 * Vitest global setup for the shared Kubernetes dev cluster. It starts nothing: it picks the run's state directory and
 * provides it to the workers, where the first testKubeconfig() call starts the cluster (runs without Kubernetes tests
 * pay nothing). Teardown stops the cluster if one was started and removes every trace of it.
 */
export async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.SLIPWAY_TEST_KUBECONFIG) return undefined;
  await removeOrphans();
  const stateDir = join(tmpdir(), `${prefix}${process.pid}`);
  project.provide('slipwayDevClusterStateDir', stateDir);
  return async () => {
    await stopDevCluster(stateDir);
    rmSync(`${stateDir}.lock`, { recursive: true, force: true });
  };
}

const prefix = 'slipway-test-k8s-';

/** Clusters of earlier runs that were killed before their teardown (the name carries the run's pid). */
async function removeOrphans(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.slice(prefix.length).replace(/\.lock$/, ''));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || alive(pid)) continue;
    await stopDevCluster(join(tmpdir(), name));
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
