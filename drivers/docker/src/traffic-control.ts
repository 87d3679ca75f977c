import type { DesiredService, TrafficControl } from '@slipway/core';
import { createTwoVersionTraffic } from '@slipway/driver-local';
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

/** Traffic control for the Docker target: the second version's containers sit next to the stable ones behind the same proxy (in memory only). */
export function createContainerTraffic(d: ContainerTrafficDeps): TrafficControl {
  return createTwoVersionTraffic<Serving, Runtime>({
    find: (environment, service) => d.table.get(d.key(environment, service)),
    ensure: d.runtimeFor,
    startHealthy: d.startHealthy,
    serving: (rt) => rt.serving,
    setServing: (rt, next) => void (rt.serving = next),
    switchTo: (rt, next) => d.switchTo(rt, next, () => {}),
    async stop(items) {
      for (const c of items) await d.remove(c.id);
    },
    portOf: (c) => c.hostPort,
    // The table's keys are environment\0service.
    all: () => [...d.table].map(([k, rt]) => ({ environment: k.split('\u0000')[0]!, service: k.split('\u0000')[1]!, rt })),
  });
}
