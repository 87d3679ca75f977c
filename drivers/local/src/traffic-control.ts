import type { TrafficControl } from '@slipway/core';
import { stopGroup } from './process-group.js';
import { startHealthy, stopGraceMs, switchTo, type ReplaceContext } from './replace.js';
import { instancesOf, type ServiceRuntime } from './service-table.js';
import { createTwoVersionTraffic } from './two-versions.js';

/** Traffic control for the local target: the second version's processes sit next to the stable ones behind the same proxy. */
export function createLocalTrafficControl(ctx: Omit<ReplaceContext, 'progress' | 'signal'>, signal: AbortSignal): TrafficControl {
  return createTwoVersionTraffic({
    find: (environment, service) => ctx.table.get(environment, service),
    ensure: (environment, desired) => ctx.table.ensure(environment, desired.service, desired.port),
    startHealthy: (rt, environment, desired, progress) => startHealthy({ ...ctx, signal, progress }, rt, desired, environment),
    serving: (rt) => instancesOf(rt.record),
    setServing: (rt, next) => ctx.table.setInstance(rt, next[0]!, next.slice(1)),
    switchTo: (rt, next) => switchTo({ ...ctx, signal, progress: () => {} }, rt, next),
    async stop(items) {
      await Promise.all(items.map((i) => stopGroup(i.pid, i.id, stopGraceMs)));
      for (const i of items) ctx.table.exits.delete(i.id);
    },
    portOf: (i) => i.port,
    persist: (rt: ServiceRuntime) => ctx.table.setStandby(rt),
    all: () => ctx.table.all().map((rt) => ({ environment: rt.environment, service: rt.service, rt })),
  });
}
