import { applyInOrder, combineHealth, logsInputSchema, planServices, type TrafficControl, type DesiredService, type Health, type ObservedService, type PlanAction, type TargetDriver } from '@slipway/core';
import { describeExit, probeHealth, startServiceProxy, waitForHealth, type ServiceProxy } from '@slipway/driver-local';
import { createDockerClient, type DockerClient } from '@slipway/executor-docker';
import { createContainerTraffic } from './traffic-control.js';
import { containerLogs, ensureImage, inspectContainer, listServiceContainers, removeContainer, removeNetwork, startServiceContainer, type ServiceContainer } from './containers.js';

export interface DockerDriverOptions {
  /** Default: DOCKER_HOST or the local socket. */
  client?: DockerClient;
  /** The image each service's artifact runs on (mounted at /app). Default `slipway/node:20`, built locally. */
  image?: string;
}

/** The Docker target: a TargetDriver that can also remove everything it runs. */
export interface DockerDriver extends TargetDriver {
  stopAll(): Promise<void>;
}

export type Serving = ServiceContainer & { hostPort: number };

export interface Runtime {
  proxy: ServiceProxy | null;
  proxyError: string | null;
  stablePort: number;
  /** The containers that serve, the first and its replicas; empty when none does. */
  serving: Serving[];
  /** A second version taking part of the traffic (canary, blue-green preview); in memory only. */
  canary?: Serving[];
  /** The containers a promotion switched away from, warm for a switch back until the timer removes them. */
  warm?: { instances: Serving[]; timer: NodeJS.Timeout };
}

const probeTimeoutMs = 1000;
const host = '127.0.0.1';

/**
 * The Docker target. Each service runs as a container of the base image with its artifact mounted, on a network per
 * environment (services reach each other by name), behind a stable loopback port served by the same reverse proxy as
 * the local target: a new revision starts next to the old one, takes traffic once healthy, and the old one stops.
 * Containers carry their environment, service, revision, release and stable port as labels, so a new driver adopts
 * what runs; a container removed by hand is observed missing and created again by the reconciler.
 */
export async function createDockerDriver(options: DockerDriverOptions = {}): Promise<DockerDriver> {
  const { docker } = options.client ?? createDockerClient();
  const image = options.image ?? 'slipway/node:20';
  const table = new Map<string, Runtime>();
  const adopted = new Map<string, Promise<void>>();
  const locks = new Map<string, Promise<unknown>>();
  const key = (environment: string, service: string) => `${environment}\u0000${service}`;
  const locked = <T>(k: string, work: () => Promise<T>): Promise<T> => {
    const next = (locks.get(k) ?? Promise.resolve()).then(work, work);
    locks.set(k, next.catch(() => undefined));
    return next;
  };

  const openProxy = async (rt: Runtime, port: number) => {
    try {
      rt.proxy = await startServiceProxy({ host, port });
      rt.stablePort = rt.proxy.port;
      rt.proxyError = null;
    } catch (err) {
      rt.proxyError = (err as Error).message;
    }
  };

  /** On first sight of an environment: the newest container of each service serves; older ones are removed. */
  const adopt = (environment: string) => {
    let done = adopted.get(environment);
    if (!done) {
      done = (async () => {
        // The containers of the newest revision of a service serve (its replicas); older ones are removed.
        const newest = new Map<string, string>();
        for (const c of await listServiceContainers(docker, environment)) {
          const revision = newest.get(c.service) ?? (newest.set(c.service, c.revision), c.revision);
          if (c.revision !== revision) {
            await removeContainer(docker, c.id, 1);
            continue;
          }
          let rt = table.get(key(environment, c.service));
          if (!rt) {
            rt = { proxy: null, proxyError: null, stablePort: c.stablePort, serving: [] };
            await openProxy(rt, c.stablePort);
            table.set(key(environment, c.service), rt);
          }
          const state = await inspectContainer(docker, c.id);
          if (state) rt.serving.push({ ...c, hostPort: state.hostPort });
          rt.proxy?.setUpstreams(rt.serving.map((s) => s.hostPort));
          rt.proxy?.setVersion(c.revision);
        }
      })();
      adopted.set(environment, done);
      done.catch(() => adopted.delete(environment));
    }
    return done;
  };

  const observeService = async (environment: string, service: string): Promise<ObservedService> => {
    const rt = table.get(key(environment, service));
    const missing: ObservedService = { service, revision: null, releaseId: null, health: 'missing', url: rt?.proxy ? `http://${host}:${rt.stablePort}` : null, instances: [], message: null };
    if (!rt || rt.serving.length === 0) return missing;
    const looked = await Promise.all(rt.serving.map(async (c) => ({ c, ...(await lookAt(c)) })));
    // Removed by hand (docker rm -f): it serves no more; with none left the reconciler creates the service again.
    const gone = looked.filter((l) => l.gone);
    if (gone.length > 0) {
      rt.serving = rt.serving.filter((c) => !gone.some((g) => g.c.id === c.id));
      rt.proxy?.setUpstreams(rt.serving.map((c) => c.hostPort));
      if (rt.serving.length === 0) return { ...missing, message: `container ${gone[0]!.c.id.slice(0, 12)} is gone` };
    }
    const alive = looked.filter((l) => !l.gone);
    let health = combineHealth(alive.map((l) => l.health));
    // A replica removed by hand leaves the service short: restarting it brings the count back.
    if (gone.length > 0) health = combineHealth([health, 'degraded']);
    const messages = [...alive.map((l) => l.message), ...gone.map((g) => `container ${g.c.id.slice(0, 12)} is gone`)].filter((m): m is string => m !== null);
    if (!rt.proxy) {
      health = health === 'healthy' ? 'degraded' : health;
      messages.push(`stable port ${rt.stablePort} is not served: ${rt.proxyError ?? 'proxy closed'}`);
    }
    const first = rt.serving[0]!;
    return {
      service,
      revision: first.revision,
      releaseId: first.releaseId,
      health,
      url: `http://${host}:${rt.stablePort}`,
      instances: alive.map((l) => ({ id: l.c.id.slice(0, 12), revision: l.c.revision, releaseId: l.c.releaseId, pid: null, port: l.c.hostPort, health: l.health, startedAt: l.c.startedAt })),
      message: messages.join('; ') || null,
    };
  };

  /** One serving container: gone, not running, or probed. Docker may restart it on another published port. */
  const lookAt = async (c: Serving): Promise<{ gone: boolean; health: Health; message: string | null }> => {
    const state = await inspectContainer(docker, c.id);
    if (!state) return { gone: true, health: 'missing', message: null };
    if (!state.running) return { gone: false, health: 'missing', message: `container ${c.id.slice(0, 12)} is not running (exit code ${state.exitCode})` };
    // Changed by hand: degraded, so the reconciler replaces it with what slipway.yaml says (or reports it, selfHeal off).
    if (state.changed) return { gone: false, health: 'degraded', message: `container ${c.id.slice(0, 12)} was ${state.changed}` };
    c.hostPort = state.hostPort;
    const probe = await probeHealth(host, state.hostPort, '/healthz', probeTimeoutMs);
    return { gone: false, health: probe.ok ? 'healthy' : 'degraded', message: probe.ok ? null : `health check on port ${state.hostPort} failed: ${probe.detail}` };
  };

  /** Start the new containers (its replicas) → all healthy → switch the proxy → stop the old ones. Null on success, else why it failed (the old ones keep serving). */
  const deploy = async (environment: string, desired: DesiredService, progress: (m: string) => void): Promise<string | null> => {
    const rt = await runtimeFor(environment, desired);
    if (typeof rt === 'string') return rt;
    const started = await startHealthy(rt, environment, desired, progress);
    if (typeof started === 'string') return started;
    await switchTo(rt, started, progress);
    return null;
  };

  /** The service's runtime with its proxy on the stable port, made on first use; a message when the port cannot be served. */
  const runtimeFor = async (environment: string, desired: DesiredService): Promise<Runtime | string> => {
    const k = key(environment, desired.service);
    let rt = table.get(k);
    if (!rt) {
      rt = { proxy: null, proxyError: null, stablePort: desired.port ?? 0, serving: [] };
      table.set(k, rt);
    }
    if (!rt.proxy) await openProxy(rt, desired.port ?? rt.stablePort);
    if (!rt.proxy) return `cannot serve the stable port ${desired.port ?? rt.stablePort}: ${rt.proxyError}`;
    return rt;
  };

  /** The desired revision's containers started next to what serves, all healthy; else they are removed and a message says why. */
  const startHealthy = async (rt: Runtime, environment: string, desired: DesiredService, progress: (m: string) => void): Promise<Serving[] | string> => {
    const count = desired.replicas ?? 1;
    if (desired.image && (await ensureImage(docker, desired.image))) progress(`pulled ${desired.image}`);
    progress(`starting ${count > 1 ? `${count} containers` : 'a container'} of ${desired.image ?? image} (revision ${desired.revision.slice(0, 12)})`);
    const started: Awaited<ReturnType<typeof startServiceContainer>>[] = [];
    for (let i = 0; i < count; i++) started.push(await startServiceContainer(docker, { environment, desired, image, stablePort: rt.stablePort }));
    progress(`waiting for health: GET ${desired.health.path} on port${count > 1 ? 's' : ''} ${started.map((c) => c.hostPort).join(', ')}`);
    const outcomes = await Promise.all(started.map((c) => waitForHealth({ host, port: c.hostPort, path: desired.health.path, intervalMs: desired.health.intervalSeconds * 1000, timeoutMs: desired.health.timeoutSeconds * 1000, exited: c.exited })));
    const bad = outcomes.findIndex((o) => o.status !== 'healthy');
    if (bad >= 0) {
      const failed = started[bad]!;
      const outcome = outcomes[bad]!;
      const output = (await containerLogs(docker, failed.id, 5)).join(' | ') || '(none)';
      await Promise.all(started.map((c) => removeContainer(docker, c.id, 1)));
      const why = outcome.status === 'exited' ? `exited with ${describeExit(outcome.exit)}` : outcome.status === 'timeout' ? `health check GET ${desired.health.path} did not answer 2xx within ${desired.health.timeoutSeconds}s (last: ${outcome.last})` : `aborted (${outcome.status === 'aborted' ? outcome.last : ''})`;
      const first = rt.serving[0];
      const keeps = first ? `; container ${first.id.slice(0, 12)} (revision ${first.revision.slice(0, 12)}) keeps serving` : '';
      return `container ${failed.id.slice(0, 12)} failed: ${why}${keeps}; output: ${output}`;
    }
    return started.map((c) => ({ id: c.id, service: desired.service, revision: desired.revision, releaseId: desired.releaseId, stablePort: rt.stablePort, created: Date.now() / 1000, startedAt: c.startedAt, hostPort: c.hostPort }));
  };

  /** Moves traffic to the new containers, then drains and removes the old ones. */
  const switchTo = async (rt: Runtime, next: Serving[], progress: (m: string) => void) => {
    const old = rt.serving;
    rt.serving = next;
    rt.proxy?.setUpstreams(next.map((c) => c.hostPort));
    rt.proxy?.setVersion(next[0]!.revision);
    progress(`switched traffic to ${next.map((c) => `container ${c.id.slice(0, 12)}`).join(', ')}`);
    for (const o of old) {
      await rt.proxy?.drain(o.hostPort, 5000);
      await removeContainer(docker, o.id);
    }
  };

  const traffic: TrafficControl = createContainerTraffic({ table, key, runtimeFor, startHealthy, switchTo, remove: (id) => removeContainer(docker, id, 1) });

  const deleteService = async (environment: string, service: string) => {
    await adopt(environment);
    const k = key(environment, service);
    const rt = table.get(k);
    if (rt?.warm) clearTimeout(rt.warm.timer);
    for (const c of (await listServiceContainers(docker, environment)).filter((x) => x.service === service)) await removeContainer(docker, c.id, 2);
    await rt?.proxy?.close();
    table.delete(k);
  };

  const runAction = async (environment: string, action: PlanAction, progress: (m: string) => void): Promise<string | null> => {
    if (action.type === 'delete') {
      await deleteService(environment, action.service);
      return null;
    }
    if (!action.desired) return `${action.type} action has no desired state`;
    return deploy(environment, action.desired, progress);
  };

  return {
    type: 'docker',
    traffic,
    async observe(environment, services, signal) {
      signal?.throwIfAborted();
      await adopt(environment);
      return { environment, services: await Promise.all(services.map((s) => observeService(environment, s))) };
    },
    plan: planServices,
    async apply(plan, options = {}) {
      await adopt(plan.environment);
      return applyInOrder(plan, (action, progress) => locked(key(plan.environment, action.service), () => runAction(plan.environment, action, progress)), options);
    },
    delete: (environment, service) => locked(key(environment, service), () => deleteService(environment, service)),
    async logs(input) {
      const { environment, service, tail } = logsInputSchema.parse(input);
      await adopt(environment);
      const current = table.get(key(environment, service))?.serving[0];
      const id = current?.id ?? (await listServiceContainers(docker, environment)).find((c) => c.service === service)?.id;
      return { lines: id ? await containerLogs(docker, id, tail) : [] };
    },
    async close() {
      await Promise.all([...table.values()].map((rt) => rt.proxy?.close()));
      table.clear();
    },
    async stopAll() {
      for (const [k, rt] of table) {
        if (rt.warm) clearTimeout(rt.warm.timer);
        for (const c of [...rt.serving, ...(rt.canary ?? []), ...(rt.warm?.instances ?? [])]) await removeContainer(docker, c.id, 2);
        await rt.proxy?.close();
        table.delete(k);
      }
      for (const environment of adopted.keys()) await removeNetwork(docker, environment);
    },
  };
}
