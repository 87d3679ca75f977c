import type { DesiredService, TrafficControl, TrafficRoute } from '@slipway/core';
import type { ServiceProxy } from './proxy.js';
import { totalsOf } from './traffic.js';

/** The part of a target's service runtime that traffic control works on: its proxy, a second version, the warm old one. */
export interface TwoVersionRuntime<I> {
  proxy: ServiceProxy | null;
  canary?: I[];
  warm?: { instances: I[]; timer: NodeJS.Timeout };
}

/** How a target starts, switches, records and stops the instances (processes, containers) of a service. */
export interface TwoVersionTarget<I extends { revision: string }, R extends TwoVersionRuntime<I>> {
  find(environment: string, service: string): R | undefined;
  /** The runtime for the desired service with its proxy listening; a message when it cannot. */
  ensure(environment: string, desired: DesiredService): Promise<R | string>;
  startHealthy(rt: R, environment: string, desired: DesiredService, progress: (m: string) => void): Promise<I[] | string>;
  serving(rt: R): I[];
  /** Records the given instances as the serving ones (no traffic moves). */
  setServing(rt: R, next: I[]): void;
  /** Moves traffic to `next`, records it, drains and stops what served before. */
  switchTo(rt: R, next: I[]): Promise<void>;
  stop(items: I[]): Promise<void>;
  portOf(item: I): number;
  /** Remembers the canary and warm instances (so that a restart can stop them), where the target can. */
  persist?(rt: R): void;
  all(): { environment: string; service: string; rt: R }[];
}

/**
 * Traffic control over a target whose stable address is Slipway's proxy: the second version's instances sit next to
 * the stable ones behind it, taking a weight or a header; a promotion keeps the old ones warm for a switch back.
 */
export function createTwoVersionTraffic<I extends { revision: string }, R extends TwoVersionRuntime<I>>(t: TwoVersionTarget<I, R>): TrafficControl {
  const runtimeOf = (environment: string, service: string): R => {
    const rt = t.find(environment, service);
    if (!rt) throw new Error(`${service} does not run in ${environment}`);
    return rt;
  };
  const route = (rt: R, r: TrafficRoute) => {
    const canary = rt.canary ?? [];
    rt.proxy?.setCanary(canary.length ? { version: canary[0]!.revision, ports: canary.map(t.portOf), weight: r.weight, ...(r.header ? { header: r.header } : {}) } : null);
  };
  const persist = (rt: R) => t.persist?.(rt);

  return {
    async startCanary(environment, desired, r, progress = () => {}) {
      const rt = await t.ensure(environment, desired);
      if (typeof rt === 'string') return rt;
      if (rt.canary) await t.stop(rt.canary.splice(0));
      const started = await t.startHealthy(rt, environment, desired, progress);
      if (typeof started === 'string') return started;
      rt.canary = started;
      persist(rt);
      route(rt, r);
      progress(`revision ${desired.revision.slice(0, 12)} takes ${r.weight} % of requests${r.header ? ` and those with ${r.header.name}: ${r.header.value}` : ''}`);
      return null;
    },
    canaryRevision: (environment, service) => t.find(environment, service)?.canary?.[0]?.revision ?? null,
    async setRoute(environment, service, r) {
      route(runtimeOf(environment, service), r);
    },
    async promote(environment, service, keepWarmMs) {
      const rt = runtimeOf(environment, service);
      const canary = rt.canary;
      if (!canary?.length) return;
      if (rt.warm) {
        clearTimeout(rt.warm.timer);
        await t.stop(rt.warm.instances);
      }
      const old = t.serving(rt);
      rt.proxy?.setUpstreams(canary.map(t.portOf));
      rt.proxy?.setVersion(canary[0]!.revision);
      rt.proxy?.setCanary(null);
      t.setServing(rt, canary);
      rt.canary = undefined;
      const timer = setTimeout(() => {
        if (rt.warm?.timer !== timer) return;
        rt.warm = undefined;
        persist(rt);
        void t.stop(old);
      }, keepWarmMs);
      timer.unref();
      rt.warm = { instances: old, timer };
      persist(rt);
    },
    async switchBack(environment, service) {
      const rt = runtimeOf(environment, service);
      const warm = rt.warm;
      if (!warm || warm.instances.length === 0) return false;
      clearTimeout(warm.timer);
      rt.warm = undefined;
      persist(rt);
      // The version that was promoted stops; the warm one serves again, as it did before.
      await t.switchTo(rt, warm.instances);
      return true;
    },
    async abort(environment, service) {
      const rt = t.find(environment, service);
      if (!rt?.canary) return;
      rt.proxy?.setCanary(null);
      const canary = rt.canary;
      rt.canary = undefined;
      persist(rt);
      await t.stop(canary);
    },
    samples: (environment, service, sinceMs) => t.find(environment, service)?.proxy?.traffic.samples(sinceMs) ?? [],
    totals: () => t.all().flatMap(({ environment, service, rt }) => totalsOf(environment, service, rt.proxy?.traffic)),
  };
}
