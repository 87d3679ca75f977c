import { combineHealth, type Health, type ObservedService, type ObservedState } from '@slipway/core';
import { probeHealth } from './health-probe.js';
import { isRunning } from './process-group.js';
import { describeExit } from './instance.js';
import type { ServiceTable } from './service-table.js';
import type { InstanceRecord } from './state-file.js';

// observe runs on every reconcile: one quick probe per instance, never the patient wait of a deploy.
const probeTimeoutMs = 1_000;

/** What observing needs from the driver. */
export interface ObserveContext {
  host: string;
  table: ServiceTable;
}

/** The live state of `services` in `environment`, probing each serving instance once. */
export async function observeServices(ctx: ObserveContext, environment: string, services: string[], signal?: AbortSignal): Promise<ObservedState> {
  signal?.throwIfAborted();
  const observed = await Promise.all(services.map((service) => observeService(ctx, environment, service)));
  return { environment, services: observed };
}

async function observeService(ctx: ObserveContext, environment: string, service: string): Promise<ObservedService> {
  const runtime = ctx.table.get(environment, service);
  if (!runtime) return { service, revision: null, releaseId: null, health: 'missing', url: null, instances: [], message: null };
  const current = runtime.record.instance;
  const replicas = runtime.record.replicas ?? [];
  // Every replica counts: the service is as healthy as its worst instance.
  const assessed = current ? await Promise.all([current, ...replicas].map(async (i) => ({ i, a: await assess(ctx, i) }))) : [];
  const serving = current ? { health: combineHealth(assessed.map((x) => x.a.health)), message: assessed.map((x) => x.a.message).filter((m) => m !== null).join('; ') || null } : { health: 'missing' as const, message: 'no instance is running' };
  const instances = assessed.map((x) => observedInstance(x.i, x.a.health));
  if (runtime.pending) instances.push(observedInstance(runtime.pending, 'progressing'));
  let health: Health = current || !runtime.pending ? serving.health : 'progressing';
  const messages = current || !runtime.pending ? [serving.message] : [`instance ${runtime.pending.id} is starting`];
  // The instance may be fine while its stable port is not served (taken by someone else after a restart).
  if (!runtime.proxy) {
    health = combineHealth([health, 'degraded']);
    messages.push(`stable port ${runtime.record.port} is not served: ${runtime.proxyError ?? 'proxy closed'}`);
  }
  return {
    service,
    revision: current?.revision ?? null,
    releaseId: current?.releaseId ?? null,
    health,
    url: `http://${ctx.host}:${runtime.record.port}`,
    instances,
    message: messages.filter((m) => m !== null).join('; ') || null,
  };
}

async function assess(ctx: ObserveContext, instance: InstanceRecord): Promise<{ health: Health; message: string | null }> {
  if (!isRunning(instance.pid, instance.id)) {
    const exit = ctx.table.exits.get(instance.id);
    const how = exit ? ` (exited with ${describeExit(exit)})` : '';
    return { health: 'missing', message: `instance ${instance.id} (pid ${instance.pid}) is not running${how}; see its logs` };
  }
  const probe = await probeHealth(ctx.host, instance.port, instance.healthPath, probeTimeoutMs);
  if (probe.ok) return { health: 'healthy', message: null };
  return { health: 'degraded', message: `health check GET ${instance.healthPath} on port ${instance.port} failed: ${probe.detail}` };
}

function observedInstance(instance: Omit<InstanceRecord, 'healthPath'>, health: Health): ObservedService['instances'][number] {
  return { id: instance.id, revision: instance.revision, releaseId: instance.releaseId, pid: instance.pid, port: instance.port, health, startedAt: instance.startedAt };
}
