import type { TrafficControl } from '@slipway/core';
import { stopGroup } from './process-group.js';
import { totalsOf } from './traffic.js';
import { startHealthy, stopGraceMs, switchTo, type ReplaceContext } from './replace.js';
import { instancesOf, type ServiceRuntime } from './service-table.js';

/** Traffic control for the local target: the second version's instances sit next to the stable ones behind the same proxy. */
export function createLocalTrafficControl(ctx: Omit<ReplaceContext, 'progress' | 'signal'>, signal: AbortSignal): TrafficControl {
  const runtimeOf = (environment: string, service: string): ServiceRuntime => {
    const runtime = ctx.table.get(environment, service);
    if (!runtime) throw new Error(`${service} does not run in ${environment}`);
    return runtime;
  };
  const stop = async (runtime: ServiceRuntime, instances: { pid: number; id: string }[]) => {
    await Promise.all(instances.map((i) => stopGroup(i.pid, i.id, stopGraceMs)));
    for (const i of instances) ctx.table.exits.delete(i.id);
  };
  const route = (runtime: ServiceRuntime, r: { weight: number; header?: { name: string; value: string } }) => {
    const canary = runtime.canary ?? [];
    runtime.proxy?.setCanary(canary.length ? { version: canary[0]!.revision, ports: canary.map((i) => i.port), weight: r.weight, ...(r.header ? { header: r.header } : {}) } : null);
  };

  return {
    async startCanary(environment, desired, r, progress = () => {}) {
      const runtime = await ctx.table.ensure(environment, desired.service, desired.port);
      if (runtime.canary) await stop(runtime, runtime.canary.splice(0));
      const started = await startHealthy({ ...ctx, signal, progress }, runtime, desired, environment);
      if (typeof started === 'string') return started;
      runtime.canary = started;
      ctx.table.setStandby(runtime);
      route(runtime, r);
      progress(`${started.map((i) => i.id).join(', ')} (revision ${desired.revision.slice(0, 12)}) take${started.length === 1 ? 's' : ''} ${r.weight} % of requests${r.header ? ` and those with ${r.header.name}: ${r.header.value}` : ''}`);
      return null;
    },
    canaryRevision: (environment, service) => ctx.table.get(environment, service)?.canary?.[0]?.revision ?? null,
    async setRoute(environment, service, r) {
      route(runtimeOf(environment, service), r);
    },
    async promote(environment, service, keepWarmMs) {
      const runtime = runtimeOf(environment, service);
      const canary = runtime.canary;
      if (!canary?.length) return;
      const old = instancesOf(runtime.record);
      if (runtime.warm) {
        clearTimeout(runtime.warm.timer);
        await stop(runtime, runtime.warm.instances);
      }
      runtime.proxy?.setUpstreams(canary.map((i) => i.port));
      runtime.proxy?.setVersion(canary[0]!.revision);
      runtime.proxy?.setCanary(null);
      ctx.table.setInstance(runtime, canary[0]!, canary.slice(1));
      runtime.canary = undefined;
      const timer = setTimeout(() => {
        if (runtime.warm?.timer !== timer) return;
        runtime.warm = undefined;
        ctx.table.setStandby(runtime);
        void stop(runtime, old);
      }, keepWarmMs);
      timer.unref();
      runtime.warm = { instances: old, timer };
      ctx.table.setStandby(runtime);
    },
    async switchBack(environment, service) {
      const runtime = runtimeOf(environment, service);
      const warm = runtime.warm;
      if (!warm || warm.instances.length === 0) return false;
      clearTimeout(warm.timer);
      runtime.warm = undefined;
      ctx.table.setStandby(runtime);
      // The version that was promoted stops; the warm one serves again, as it did before.
      await switchTo({ ...ctx, signal, progress: () => {} }, runtime, warm.instances);
      return true;
    },
    async abort(environment, service) {
      const runtime = ctx.table.get(environment, service);
      if (!runtime?.canary) return;
      runtime.proxy?.setCanary(null);
      const canary = runtime.canary;
      runtime.canary = undefined;
      ctx.table.setStandby(runtime);
      await stop(runtime, canary);
    },
    samples(environment, service, sinceMs) {
      return ctx.table.get(environment, service)?.proxy?.traffic.samples(sinceMs) ?? [];
    },
    totals: () => ctx.table.all().flatMap((runtime) => totalsOf(runtime.environment, runtime.service, runtime.proxy?.traffic)),
  };
}
