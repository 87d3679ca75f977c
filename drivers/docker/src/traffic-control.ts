import type { DesiredService, TrafficControl } from '@slipway/core';
import { totalsOf } from '@slipway/driver-local';
import type { Runtime, Serving } from './driver.js';

/** What the Docker driver lends its traffic control: its runtimes, and how it starts, switches and removes containers. */
export interface ContainerTrafficDeps {
  table: Map<string, Runtime>;
  key: (environment: string, service: string) => string;
  runtimeFor: (environment: string, desired: DesiredService) => Promise<Runtime | string>;
  startHealthy: (rt: Runtime, environment: string, desired: DesiredService, progress: (m: string) => void) => Promise<Serving[] | string>;
  switchTo: (rt: Runtime, next: Serving[], progress: (m: string) => void) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

/** Traffic control for the Docker target: the second version's containers sit next to the stable ones behind the same proxy. */
export function createContainerTraffic(d: ContainerTrafficDeps): TrafficControl {
  const runtimeOf = (environment: string, service: string) => {
    const rt = d.table.get(d.key(environment, service));
    if (!rt) throw new Error(`${service} does not run in ${environment}`);
    return rt;
  };
  const removeAll = async (containers: Serving[]) => {
    for (const c of containers) await d.remove(c.id);
  };
  const route = (rt: Runtime, r: { weight: number; header?: { name: string; value: string } }) => {
    const canary = rt.canary ?? [];
    rt.proxy?.setCanary(canary.length ? { version: canary[0]!.revision, ports: canary.map((c) => c.hostPort), weight: r.weight, ...(r.header ? { header: r.header } : {}) } : null);
  };
  // The table's keys are environment\0service.
  const parts = (k: string) => k.split('\u0000') as [string, string];

  return {
    async startCanary(environment, desired, r, progress = () => {}) {
      const rt = await d.runtimeFor(environment, desired);
      if (typeof rt === 'string') return rt;
      if (rt.canary) await removeAll(rt.canary.splice(0));
      const started = await d.startHealthy(rt, environment, desired, progress);
      if (typeof started === 'string') return started;
      rt.canary = started;
      route(rt, r);
      return null;
    },
    canaryRevision: (environment, service) => d.table.get(d.key(environment, service))?.canary?.[0]?.revision ?? null,
    async setRoute(environment, service, r) {
      route(runtimeOf(environment, service), r);
    },
    async promote(environment, service, keepWarmMs) {
      const rt = runtimeOf(environment, service);
      const canary = rt.canary;
      if (!canary?.length) return;
      if (rt.warm) {
        clearTimeout(rt.warm.timer);
        await removeAll(rt.warm.containers);
      }
      const old = rt.serving;
      rt.serving = canary;
      rt.canary = undefined;
      rt.proxy?.setUpstreams(canary.map((c) => c.hostPort));
      rt.proxy?.setVersion(canary[0]!.revision);
      rt.proxy?.setCanary(null);
      const timer = setTimeout(() => {
        if (rt.warm?.timer !== timer) return;
        rt.warm = undefined;
        void removeAll(old);
      }, keepWarmMs);
      timer.unref();
      rt.warm = { containers: old, timer };
    },
    async switchBack(environment, service) {
      const rt = runtimeOf(environment, service);
      const warm = rt.warm;
      if (!warm || warm.containers.length === 0) return false;
      clearTimeout(warm.timer);
      rt.warm = undefined;
      await d.switchTo(rt, warm.containers, () => {});
      return true;
    },
    async abort(environment, service) {
      const rt = d.table.get(d.key(environment, service));
      if (!rt?.canary) return;
      rt.proxy?.setCanary(null);
      const canary = rt.canary;
      rt.canary = undefined;
      await removeAll(canary);
    },
    samples: (environment, service, sinceMs) => d.table.get(d.key(environment, service))?.proxy?.traffic.samples(sinceMs) ?? [],
    totals: () => [...d.table].flatMap(([k, rt]) => totalsOf(...parts(k), rt.proxy?.traffic)),
  };
}
