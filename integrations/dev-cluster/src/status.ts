import { createApiClient } from './api.js';
import { isProcessAlive } from '@slipway/core';
import { components, readState, type Component } from './state.js';
import { join } from 'node:path';

/** What `slipway dev-cluster status` reports. */
export interface DevClusterStatus {
  /** True when every component's process is alive. */
  running: boolean;
  /** True when running and the API server answers /readyz. */
  ready: boolean;
  stateDir: string;
  server?: string;
  kubeconfig?: string;
  /** Each component's pid and whether it is alive. */
  processes: { component: Component; pid: number; alive: boolean }[];
  /** Node names with their Ready condition; empty when the API server does not answer. */
  nodes: { name: string; ready: boolean }[];
  startedAt?: string;
}

/** Reads <stateDir>/cluster.json and asks the processes and the API server how they are. Never throws for a missing cluster. */
export async function devClusterStatus(stateDir: string): Promise<DevClusterStatus> {
  const state = readState(stateDir);
  if (!state) return { running: false, ready: false, stateDir, processes: [], nodes: [] };
  const processes = components.flatMap((component) => {
    const pid = state.pids[component];
    return pid === undefined ? [] : [{ component, pid, alive: isProcessAlive(pid) }];
  });
  const running = processes.length === components.length && processes.every((p) => p.alive);
  const status: DevClusterStatus = { running, ready: false, stateDir, server: state.server, kubeconfig: state.kubeconfig, processes, nodes: [], startedAt: state.startedAt };
  if (!running || !state.readyAt) return status;
  try {
    const pki = join(stateDir, 'pki');
    const api = createApiClient(state.server, { ca: join(pki, 'ca.crt'), cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') });
    status.ready = (await api.call('GET', '/readyz')).status === 200;
    type NodeList = { items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
    const nodes = await api.call<NodeList>('GET', '/api/v1/nodes');
    status.nodes = (nodes.body.items ?? []).map((n) => ({ name: n.metadata.name, ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false }));
  } catch {
    // Not answering: ready stays false.
  }
  return status;
}
