import { resolve } from 'node:path';
import { planServices, SlipwayError, type TargetDriver } from '@slipway/core';
import { applyPlan } from './apply.js';
import { deleteService, stopInstances } from './delete.js';
import { createKeyedLock } from './keyed-lock.js';
import { readServiceLogs } from './logs.js';
import { observeServices } from './observe.js';
import { serviceKey, ServiceTable } from './service-table.js';
import { createLocalTrafficControl } from './traffic-control.js';

/** Options of {@link createLocalDriver}. */
export interface LocalDriverOptions {
  /** Where the driver keeps `state.json` and the instances' logs (`<environment>/<service>/<instanceId>.log`). */
  stateDir: string;
  /** The address proxies and instances bind; only loopback is supported. */
  host?: '127.0.0.1';
}

/** The local-process target: a TargetDriver that can also stop everything it runs. */
export interface LocalDriver extends TargetDriver {
  /**
   * Stops every instance and every proxy (for tests and a graceful demo shutdown); stable ports stay recorded.
   * Like close(), it is final, and it does nothing after close().
   */
  stopAll(): Promise<void>;
}

/**
 * Creates the local-process target driver. Each service gets a stable port served by an in-process reverse proxy;
 * instances are host processes in their own process groups that outlive the server and are adopted again from
 * `<stateDir>/state.json` when the driver is created next time.
 */
export async function createLocalDriver(options: LocalDriverOptions): Promise<LocalDriver> {
  const host = options.host ?? '127.0.0.1';
  const stateDir = resolve(options.stateDir);
  const table = await ServiceTable.open(stateDir, host);
  const lock = createKeyedLock();
  // Aborted by close() and stopAll(): in-flight deployments stop waiting and stop the instance they started.
  const lifetime = new AbortController();
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => {});
    return work;
  };
  const assertOpen = () => {
    if (lifetime.signal.aborted) throw new SlipwayError('SLW_INTERNAL', 'the local driver is closed', { hint: 'Create a new driver with createLocalDriver.' });
  };
  // close() and stopAll() are final. After close() the instances belong to whoever adopts them next, so a later
  // stopAll() must not act (or write the state file) on what this driver remembers.
  const shutDown = async (): Promise<boolean> => {
    if (lifetime.signal.aborted) return false;
    lifetime.abort();
    await Promise.allSettled([...running]);
    return true;
  };

  const traffic = createLocalTrafficControl({ host, stateDir, table }, lifetime.signal);
  return {
    type: 'local',
    traffic,
    observe: (environment, services, signal) => observeServices({ host, table }, environment, services, signal),
    plan: planServices,
    apply: async (plan, { signal, onProgress } = {}) => {
      assertOpen();
      const combined = signal ? AbortSignal.any([signal, lifetime.signal]) : lifetime.signal;
      return track(applyPlan({ host, stateDir, table, lock }, plan, { signal: combined, onProgress }));
    },
    delete: async (environment, service) => {
      assertOpen();
      return track(lock.run(serviceKey(environment, service), () => deleteService(table, stateDir, environment, service)));
    },
    logs: (input) => readServiceLogs(table, stateDir, input),
    close: async () => {
      if (await shutDown()) await table.closeProxies();
    },
    stopAll: async () => {
      if (!(await shutDown())) return;
      await Promise.all(table.all().map((runtime) => stopInstances(table, runtime)));
      await table.closeProxies();
    },
  };
}
