import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The components the dev cluster runs, in start order; `down` stops them in reverse. */
export const components = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type Component = (typeof components)[number];

/** What <stateDir>/cluster.json records: enough for `status` and `down` from another process. */
export interface ClusterState {
  server: string;
  kubeconfig: string;
  binDir: string;
  nodes: number;
  /** Each started component's pid, which is also its process group id. */
  pids: Partial<Record<Component, number>>;
  startedAt: string;
  /** Set once every readiness check passed. */
  readyAt?: string;
  /** True once a real node was started (real-node.ts); its own state is in <stateDir>/real-node. */
  realNode?: boolean;
}

/** Written first of all: `down` removes a state directory only when it holds this marker, never an arbitrary one. */
export const markerFile = '.slipway-dev-cluster';

export const statePath = (stateDir: string) => join(stateDir, 'cluster.json');
export const logDir = (stateDir: string) => join(stateDir, 'logs');
export const isClusterDir = (stateDir: string) => existsSync(join(stateDir, markerFile));

export function readState(stateDir: string): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(stateDir), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(stateDir: string, state: ClusterState): void {
  writeFileSync(statePath(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}
