import type Docker from 'dockerode';
import { containerPort, type DesiredService } from '@slipway/core';
import { ignoreGone, statusOf } from '@slipway/executor-docker';
import type { ExitInfo } from '@slipway/driver-local';
import { dockerName, labels, networkName } from './labels.js';

// Docker publishes the container port (the same for every service) on a random loopback port.

/** A container of a service, as its labels and Docker's inspect tell it. */
export interface ServiceContainer {
  id: string;
  service: string;
  revision: string;
  releaseId: string;
  stablePort: number;
  created: number;
  startedAt: string;
}

/** Every container the Docker target made for an environment, newest first. */
export async function listServiceContainers(docker: Docker, environment: string): Promise<(ServiceContainer & { running: boolean })[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${labels.environment}=${environment}`] } });
  return list
    .map((c) => ({
      id: c.Id,
      service: c.Labels[labels.service] ?? '',
      revision: c.Labels[labels.revision] ?? '',
      releaseId: c.Labels[labels.release] ?? '',
      stablePort: Number(c.Labels[labels.stablePort] ?? 0),
      created: c.Created,
      startedAt: new Date(c.Created * 1000).toISOString(),
      running: c.State === 'running',
    }))
    .sort((a, b) => b.created - a.created);
}

/**
 * Makes sure the daemon has a release image: one built here has it already (nothing is pulled); another host pulls it
 * by digest from the registry. True when it had to pull.
 */
export async function ensureImage(docker: Docker, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return false;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  const stream = await docker.pull(reference);
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  return true;
}

/** The environment's network, made on first use. */
export async function ensureNetwork(docker: Docker, environment: string): Promise<string> {
  const name = networkName(environment);
  const found = await docker.listNetworks({ filters: { name: [name] } });
  if (found.some((n) => n.Name === name)) return name;
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: { [labels.driver]: 'docker', [labels.environment]: environment } });
  } catch (err) {
    // Another deploy of the same environment made it meanwhile.
    if (statusOf(err) !== 409) throw err;
  }
  return name;
}

/** Removes the environment's network (when nothing uses it any more). */
export async function removeNetwork(docker: Docker, environment: string): Promise<void> {
  await ignoreGone(() => docker.getNetwork(networkName(environment)).remove());
}

/**
 * Starts a container for the desired service: its release image by digest, or else the artifact directory mounted
 * read-only at /app on the base image with the command run by /bin/sh; its env plus PORT, on the environment's network under the service's name, its port
 * published on a random loopback port. Returns the container, its published port and when it exits.
 */
export async function startServiceContainer(docker: Docker, input: { environment: string; desired: DesiredService; image: string; stablePort: number }) {
  const { environment, desired } = input;
  const network = await ensureNetwork(docker, environment);
  const env = { ...desired.env, PORT: String(containerPort), HOST: '0.0.0.0' };
  // A release image runs as built (its own CMD); otherwise the artifact is mounted on the base image.
  const container = await docker.createContainer({
    name: dockerName(environment, desired.service, desired.revision.slice(0, 12), Date.now().toString(36)),
    Image: desired.image ?? input.image,
    ...(desired.image ? {} : { Cmd: ['/bin/sh', '-c', desired.command], WorkingDir: '/app' }),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [labels.driver]: 'docker',
      [labels.environment]: environment,
      [labels.service]: desired.service,
      [labels.revision]: desired.revision,
      [labels.release]: desired.releaseId,
      [labels.stablePort]: String(input.stablePort),
      [labels.limits]: limitsOf(desired.resources?.memoryBytes ?? 0, desired.resources?.cpus ? Math.round(desired.resources.cpus * 1e9) : 0),
    },
    ExposedPorts: { [`${containerPort}/tcp`]: {} },
    HostConfig: {
      ...(desired.image ? {} : { Binds: [`${desired.artifact}:/app:ro`] }),
      PortBindings: { [`${containerPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      NetworkMode: network,
      // An init process as PID 1 forwards SIGTERM: a service that does not handle it itself still stops at once.
      Init: true,
      // A crash after the deploy is restarted by Docker a few times; the reconciler heals what stays down.
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      // The service's limits: memory in bytes, CPUs in billionths of a core.
      ...(desired.resources?.memoryBytes ? { Memory: desired.resources.memoryBytes } : {}),
      ...(desired.resources?.cpus ? { NanoCpus: Math.round(desired.resources.cpus * 1e9) } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [desired.service] } } },
  });
  // Registered before the start, so that an instant crash is not missed.
  const exited: Promise<ExitInfo> = container.wait({ condition: 'next-exit' }).then(
    (r: { StatusCode?: number }) => ({ code: r.StatusCode ?? null, signal: null }),
    () => ({ code: null, signal: 'removed' }),
  );
  await container.start();
  const info = await container.inspect();
  const hostPort = Number(info.NetworkSettings.Ports[`${containerPort}/tcp`]?.[0]?.HostPort ?? 0);
  return { id: container.id, hostPort, startedAt: info.State.StartedAt, exited };
}

const limitsOf = (memory: number, nanoCpus: number) => `${memory}/${nanoCpus}`;

/**
 * The published port and state of a container, and what was changed by hand since Slipway made it (paused, or limits
 * changed with `docker update`); undefined when it is gone.
 */
export async function inspectContainer(docker: Docker, id: string): Promise<{ running: boolean; hostPort: number; exitCode: number; changed: string | null } | undefined> {
  try {
    const info = await docker.getContainer(id).inspect();
    const made = info.Config.Labels?.[labels.limits];
    const now = limitsOf(info.HostConfig.Memory ?? 0, info.HostConfig.NanoCpus ?? 0);
    const changed = info.State.Paused ? 'paused by hand' : made !== undefined && made !== now ? `limits changed by hand (memory/nano-CPUs ${made} → ${now})` : null;
    return { running: info.State.Running, hostPort: Number(info.NetworkSettings.Ports?.[`${containerPort}/tcp`]?.[0]?.HostPort ?? 0), exitCode: info.State.ExitCode, changed };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** Stops (SIGTERM, then SIGKILL after `graceSeconds`) and removes a container; one that is gone already is fine. */
export async function removeContainer(docker: Docker, id: string, graceSeconds = 5): Promise<void> {
  const c = docker.getContainer(id);
  await ignoreGone(() => c.stop({ t: graceSeconds }).catch((err: unknown) => (statusOf(err) === 304 ? undefined : Promise.reject(err))));
  await ignoreGone(() => c.remove({ force: true }));
}

/** The last `tail` lines a container printed, stdout and stderr together. */
export async function containerLogs(docker: Docker, id: string, tail: number): Promise<string[]> {
  try {
    const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
    return demux(raw).split('\n').filter((l) => l !== '').slice(-tail);
  } catch (err) {
    if (statusOf(err) === 404) return [];
    throw err;
  }
}

/** Docker's multiplexed log stream (8-byte frame headers) as text; a TTY stream passes through. */
function demux(buf: Buffer): string {
  let out = '';
  let at = 0;
  while (at + 8 <= buf.length && (buf[at] === 1 || buf[at] === 2) && buf[at + 1] === 0) {
    const size = buf.readUInt32BE(at + 4);
    out += buf.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return at === 0 ? buf.toString('utf8') : out;
}
