import type { ExitInfo } from './instance.js';
import { isRunning, stopGroup } from './process-group.js';
import { startServiceProxy, type ServiceProxy } from './proxy.js';
import { loadState, saveState, type DriverState, type InstanceRecord, type ServiceRecord } from './state-file.js';

/** An instance that has been started but does not serve traffic yet. */
export type PendingInstance = Omit<InstanceRecord, 'healthPath'>;

/** The live side of one service: its persisted record, its proxy and the instance being started, if any. */
export interface ServiceRuntime {
  readonly environment: string;
  readonly service: string;
  readonly record: ServiceRecord;
  /** Null when the stable port could not be bound (after a restart, someone else may hold it). */
  proxy: ServiceProxy | null;
  proxyError: string | null;
  pending: PendingInstance | null;
  /** A second version taking part of the traffic (a canary, blue-green's preview); in memory only. */
  canary?: InstanceRecord[];
  /** The instances a promotion switched away from, kept warm for a switch back until `timer` stops them. */
  warm?: { instances: InstanceRecord[]; timer: NodeJS.Timeout };
}

/**
 * The services the driver knows, with their proxies. Every change goes through here and is persisted at once, so
 * that a restarted server finds the same stable ports and adopts the same instances.
 */
export class ServiceTable {
  private readonly runtimes = new Map<string, ServiceRuntime>();
  /** How instances started by this process exited, by instance id; lets messages say why an instance is gone. */
  readonly exits = new Map<string, ExitInfo>();

  private constructor(
    private readonly stateDir: string,
    private readonly host: string,
  ) {}

  /** Loads the state, restarts the proxies on their stable ports and points them at the instances still running. */
  static async open(stateDir: string, host: string): Promise<ServiceTable> {
    const table = new ServiceTable(stateDir, host);
    const state = loadState(stateDir);
    for (const [environment, services] of Object.entries(state.environments)) {
      for (const [service, record] of Object.entries(services)) {
        const runtime: ServiceRuntime = { environment, service, record, proxy: null, proxyError: null, pending: null };
        table.runtimes.set(serviceKey(environment, service), runtime);
        await table.listen(runtime, record.port);
        // A dead instance stays recorded: it is observed as missing, and the planner restarts it.
        runtime.proxy?.setUpstreams(instancesOf(record).filter((i) => isRunning(i.pid, i.id)).map((i) => i.port));
        // A canary or a warm old version does not survive a restart: the rollout starts its canary again.
        if (record.standby?.length) {
          await Promise.all(record.standby.map((i) => stopGroup(i.pid, i.id, 2_000)));
          delete record.standby;
          table.persist();
        }
        if (record.instance) runtime.proxy?.setVersion(record.instance.revision);
      }
    }
    return table;
  }

  /** The runtime of a service, if the driver knows it. */
  get(environment: string, service: string): ServiceRuntime | undefined {
    return this.runtimes.get(serviceKey(environment, service));
  }

  /** Every known service of every environment. */
  all(): ServiceRuntime[] {
    return [...this.runtimes.values()];
  }

  /**
   * The runtime of a service with a listening proxy, created on first use. `wantedPort` (from the desired state)
   * moves the proxy when it differs from the current stable port; without it the port stays or the kernel picks one.
   */
  async ensure(environment: string, service: string, wantedPort: number | undefined): Promise<ServiceRuntime> {
    const existing = this.get(environment, service);
    const runtime = existing ?? { environment, service, record: { port: wantedPort ?? 0, instance: null }, proxy: null, proxyError: null, pending: null };
    const port = wantedPort ?? runtime.record.port;
    if (!runtime.proxy || runtime.proxy.port !== port) await this.listen(runtime, port);
    if (!runtime.proxy || (wantedPort !== undefined && runtime.proxy.port !== wantedPort)) {
      throw new Error(`cannot listen on port ${port} for service ${service}: ${runtime.proxyError ?? 'unknown error'}`);
    }
    if (!existing) this.runtimes.set(serviceKey(environment, service), runtime);
    this.persist();
    return runtime;
  }

  /** Records the instance that now serves a service (or none), and its replicas, and persists them. */
  setInstance(runtime: ServiceRuntime, instance: InstanceRecord | null, replicas: InstanceRecord[] = []): void {
    runtime.record.instance = instance;
    if (replicas.length > 0) runtime.record.replicas = replicas;
    else delete runtime.record.replicas;
    this.persist();
  }

  /** Records the instances that run next to the serving ones (canary, warm), so that a restart stops them. */
  setStandby(runtime: ServiceRuntime): void {
    const standby = [...(runtime.canary ?? []), ...(runtime.warm?.instances ?? [])];
    if (standby.length > 0) runtime.record.standby = standby;
    else delete runtime.record.standby;
    this.persist();
  }

  /** Whether the instance serves the service (the first or a replica). */
  serves(runtime: ServiceRuntime, id: string): boolean {
    return instancesOf(runtime.record).some((i) => i.id === id);
  }

  /** Forgets a service and closes its proxy. */
  async remove(runtime: ServiceRuntime): Promise<void> {
    this.runtimes.delete(serviceKey(runtime.environment, runtime.service));
    this.persist();
    await runtime.proxy?.close();
    runtime.proxy = null;
  }

  /** Closes every proxy; the records (and the instances) stay. */
  async closeProxies(): Promise<void> {
    await Promise.all(this.all().map((runtime) => runtime.proxy?.close()));
    for (const runtime of this.all()) runtime.proxy = null;
  }

  /** Binds a proxy on `port` (0: any), replacing the current one and keeping its upstream. Failure is recorded, not thrown. */
  private async listen(runtime: ServiceRuntime, port: number): Promise<void> {
    try {
      const proxy = await startServiceProxy({ host: this.host, port });
      const previous = runtime.proxy;
      proxy.setUpstreams(previous?.upstreams ?? []);
      runtime.proxy = proxy;
      runtime.proxyError = null;
      runtime.record.port = proxy.port;
      await previous?.close();
    } catch (err) {
      runtime.proxyError = (err as NodeJS.ErrnoException).code ?? String(err);
    }
  }

  private persist(): void {
    const state: DriverState = { version: 1, environments: {} };
    for (const runtime of this.runtimes.values()) {
      const services = (state.environments[runtime.environment] ??= {});
      services[runtime.service] = runtime.record;
    }
    saveState(this.stateDir, state);
  }
}

/** Every instance that serves a service: the first, then its replicas. */
export const instancesOf = (record: ServiceRecord): InstanceRecord[] => [...(record.instance ? [record.instance] : []), ...(record.replicas ?? [])];

/** Identifies a service of an environment in maps and locks. */
export const serviceKey = (environment: string, service: string): string => `${environment}\u0000${service}`;
