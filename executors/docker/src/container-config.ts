import type Docker from 'dockerode';
import { SlipwayError, type ContainerSpec } from '@slipway/core';
import type { DockerClient } from './docker-client.js';
import { splitWords } from '@slipway/core';
import { parseContainerOptions } from './container-options.js';
import { jobLabels } from './labels.js';
import { portBindings } from './port-bindings.js';

/**
 * The create options shared by the job container and the service containers: image, env, ports, volumes, options,
 * Slipway's labels, and the job network. `where` is the workflow key path for messages (`container`, `services.db`).
 */
export function containerConfig(jobId: string, network: string, spec: ContainerSpec, where: string): Docker.ContainerCreateOptions {
  const options = parseContainerOptions(spec.options, `${where}.options`);
  const ports = portBindings(spec.ports, `${where}.ports`);
  const binds: string[] = [];
  const anonymous: Record<string, object> = {};
  // `/data` alone is an anonymous volume; `src:dst` is a bind mount or a named volume, as with `docker run -v`.
  for (const volume of spec.volumes ?? []) {
    if (volume.includes(':')) binds.push(volume);
    else anonymous[volume] = {};
  }
  return {
    Image: spec.image,
    Env: [...Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`), ...options.env],
    Labels: jobLabels(jobId),
    ExposedPorts: ports.ExposedPorts,
    Volumes: anonymous,
    ...(options.healthcheck ? { Healthcheck: options.healthcheck } : {}),
    // A service's `entrypoint:` and `command:` keys win over `--entrypoint` in its options.
    ...(spec.entrypoint ? { Entrypoint: [spec.entrypoint] } : options.entrypoint ? { Entrypoint: options.entrypoint } : {}),
    ...(spec.command ? { Cmd: splitWords(spec.command, `${where}.command`) } : {}),
    ...(options.user ? { User: options.user } : {}),
    ...(options.workdir ? { WorkingDir: options.workdir } : {}),
    HostConfig: {
      // An init process as PID 1 reaps the zombies steps leave and passes signals on (a bare PID 1 ignores SIGTERM).
      Init: true,
      NetworkMode: network,
      PortBindings: ports.PortBindings,
      Binds: binds,
    },
  };
}

/** The last lines a container printed, to explain why it stopped. */
export async function lastLogLines(container: Docker.Container, lines = 20): Promise<string> {
  try {
    const buffer = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
    // Without a TTY each line comes in an 8-byte-header frame; dropping the headers is enough for a message.
    return buffer.toString('utf8').replace(/[\x00-\x02]\x00\x00\x00[\s\S]{4}/g, '').trim();
  } catch {
    return '';
  }
}

/**
 * Creates and starts a container. The daemon's refusals (no command in the image, a host port already taken, a bad
 * bind mount) become errors that name the workflow key and the image, instead of a bare HTTP 400 or 500.
 */
export async function createAndStart(client: DockerClient, options: Docker.ContainerCreateOptions, where: string): Promise<Docker.Container> {
  try {
    const container = await client.docker.createContainer(options);
    await container.start();
    return container;
  } catch (err) {
    const reason = (err as { json?: { message?: string } }).json?.message ?? (err as Error).message;
    throw new SlipwayError('SLW_RUN_FAILED', `${where}: could not start a container from ${options.Image}: ${reason.trim()}`, {
      path: where,
      cause: err,
      hint: reason.includes('No command specified') ? 'The image has no command: give the service one with `options: --entrypoint …`.' : 'Check the image, ports, volumes and options of this container.',
    });
  }
}
