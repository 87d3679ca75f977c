import { logsInputSchema, planServices, type ApplyResult, type DesiredService, type Health, type ObservedService, type PlanAction, type TargetDriver } from '@slipway/core';
import { describeExit, probeHealth, startServiceProxy, waitForHealth, type ServiceProxy } from '@slipway/driver-local';
import { createDockerClient, type DockerClient } from '@slipway/executor-docker';
import { containerLogs, inspectContainer, listServiceContainers, removeContainer, removeNetwork, startServiceContainer, type ServiceContainer } from './containers.js';

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

interface Runtime {
  proxy: ServiceProxy | null;
  proxyError: string | null;
  stablePort: number;
  current: (ServiceContainer & { hostPort: number }) | null;
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
        const seen = new Set<string>();
        for (const c of await listServiceContainers(docker, environment)) {
          if (seen.has(c.service)) {
            await removeContainer(docker, c.id, 1);
            continue;
          }
          seen.add(c.service);
          const rt: Runtime = { proxy: null, proxyError: null, stablePort: c.stablePort, current: null };
          const state = await inspectContainer(docker, c.id);
          rt.current = state ? { ...c, hostPort: state.hostPort } : null;
          await openProxy(rt, c.stablePort);
          rt.proxy?.setUpstream(state?.running ? state.hostPort : null);
          table.set(key(environment, c.service), rt);
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
    if (!rt?.current) return missing;
    const c = rt.current;
    const state = await inspectContainer(docker, c.id);
    if (!state) {
      // Removed by hand (docker rm -f): nothing serves; the reconciler creates it again.
      rt.current = null;
      rt.proxy?.setUpstream(null);
      return { ...missing, message: `container ${c.id.slice(0, 12)} is gone` };
    }
    let health: Health = 'missing';
    let message: string | null = `container ${c.id.slice(0, 12)} is not running (exit code ${state.exitCode})`;
    if (state.running) {
      const probe = await probeHealth(host, state.hostPort, '/healthz', probeTimeoutMs);
      health = probe.ok ? 'healthy' : 'degraded';
      message = probe.ok ? null : `health check on port ${state.hostPort} failed: ${probe.detail}`;
      // Docker may have restarted it on another published port.
      if (state.hostPort !== c.hostPort) {
        c.hostPort = state.hostPort;
        rt.proxy?.setUpstream(state.hostPort);
      }
    }
    if (!rt.proxy) {
      health = health === 'healthy' ? 'degraded' : health;
      message = [message, `stable port ${rt.stablePort} is not served: ${rt.proxyError ?? 'proxy closed'}`].filter(Boolean).join('; ');
    }
    return {
      service,
      revision: c.revision,
      releaseId: c.releaseId,
      health,
      url: `http://${host}:${rt.stablePort}`,
      instances: [{ id: c.id.slice(0, 12), revision: c.revision, releaseId: c.releaseId, pid: null, port: c.hostPort, health, startedAt: c.startedAt }],
      message,
    };
  };

  /** Start new → healthy → switch the proxy → stop old. Null on success, else why it failed (the old one keeps serving). */
  const deploy = async (environment: string, desired: DesiredService, progress: (m: string) => void): Promise<string | null> => {
    const k = key(environment, desired.service);
    let rt = table.get(k);
    if (!rt) {
      rt = { proxy: null, proxyError: null, stablePort: desired.port ?? 0, current: null };
      table.set(k, rt);
    }
    if (!rt.proxy) await openProxy(rt, desired.port ?? rt.stablePort);
    if (!rt.proxy) return `cannot serve the stable port ${desired.port ?? rt.stablePort}: ${rt.proxyError}`;
    progress(`starting a container of ${image} (revision ${desired.revision.slice(0, 12)})`);
    const started = await startServiceContainer(docker, { environment, desired, image, stablePort: rt.stablePort });
    progress(`waiting for health: GET ${desired.health.path} on port ${started.hostPort}`);
    const outcome = await waitForHealth({ host, port: started.hostPort, path: desired.health.path, intervalMs: desired.health.intervalSeconds * 1000, timeoutMs: desired.health.timeoutSeconds * 1000, exited: started.exited });
    if (outcome.status !== 'healthy') {
      const output = (await containerLogs(docker, started.id, 5)).join(' | ') || '(none)';
      await removeContainer(docker, started.id, 1);
      const why = outcome.status === 'exited' ? `exited with ${describeExit(outcome.exit)}` : outcome.status === 'timeout' ? `health check GET ${desired.health.path} did not answer 2xx within ${desired.health.timeoutSeconds}s (last: ${outcome.last})` : `aborted (${outcome.last})`;
      const keeps = rt.current ? `; container ${rt.current.id.slice(0, 12)} (revision ${rt.current.revision.slice(0, 12)}) keeps serving` : '';
      return `container ${started.id.slice(0, 12)} failed: ${why}${keeps}; output: ${output}`;
    }
    const old = rt.current;
    rt.current = { id: started.id, service: desired.service, revision: desired.revision, releaseId: desired.releaseId, stablePort: rt.stablePort, created: Date.now() / 1000, startedAt: started.startedAt, hostPort: started.hostPort };
    rt.proxy.setUpstream(started.hostPort);
    progress(`switched traffic to container ${started.id.slice(0, 12)}`);
    if (old) {
      await rt.proxy.drain(old.hostPort, 5000);
      await removeContainer(docker, old.id);
    }
    return null;
  };

  const deleteService = async (environment: string, service: string) => {
    await adopt(environment);
    const k = key(environment, service);
    const rt = table.get(k);
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
    async observe(environment, services, signal) {
      signal?.throwIfAborted();
      await adopt(environment);
      return { environment, services: await Promise.all(services.map((s) => observeService(environment, s))) };
    },
    plan: planServices,
    async apply(plan, { onProgress } = {}) {
      await adopt(plan.environment);
      const results: ApplyResult['results'] = [];
      let blocker: string | null = null;
      for (const action of plan.actions) {
        if (action.type === 'noop') {
          results.push({ service: action.service, action: action.type, ok: true, message: action.reason });
          continue;
        }
        if (blocker !== null) {
          results.push({ service: action.service, action: action.type, ok: false, message: `not applied: the action on ${blocker} failed before it` });
          continue;
        }
        const progress = (message: string) => onProgress?.({ service: action.service, message });
        const failure = await locked(key(plan.environment, action.service), () => runAction(plan.environment, action, progress)).catch((err: unknown) => `${action.type} failed: ${(err as Error).message}`);
        if (failure !== null) blocker = action.service;
        results.push({ service: action.service, action: action.type, ok: failure === null, message: failure });
      }
      return { environment: plan.environment, results };
    },
    delete: (environment, service) => locked(key(environment, service), () => deleteService(environment, service)),
    async logs(input) {
      const { environment, service, tail } = logsInputSchema.parse(input);
      await adopt(environment);
      const current = table.get(key(environment, service))?.current;
      const id = current?.id ?? (await listServiceContainers(docker, environment)).find((c) => c.service === service)?.id;
      return { lines: id ? await containerLogs(docker, id, tail) : [] };
    },
    async close() {
      await Promise.all([...table.values()].map((rt) => rt.proxy?.close()));
      table.clear();
    },
    async stopAll() {
      for (const [k, rt] of table) {
        if (rt.current) await removeContainer(docker, rt.current.id, 2);
        await rt.proxy?.close();
        table.delete(k);
      }
      for (const environment of adopted.keys()) await removeNetwork(docker, environment);
    },
  };
}
