import Docker from 'dockerode';
import { SlipwayError } from '@slipway/core';

/** A Docker Engine API client and where it points, for messages. */
export interface DockerClient {
  docker: Docker;
  endpoint: string;
}

/** A client for `socketPath`, or for DOCKER_HOST / the default socket when none is given (dockerode's defaults). */
export function createDockerClient(socketPath?: string): DockerClient {
  const docker = socketPath ? new Docker({ socketPath }) : new Docker();
  return { docker, endpoint: socketPath ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock' };
}

/** The HTTP status of an Engine API error, if it has one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Runs `op` and ignores the statuses that mean "already gone" (404) or "already being removed" (409). */
export async function ignoreGone(op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    const status = statusOf(err);
    if (status !== 404 && status !== 409) throw err;
  }
}

/**
 * Checks that the daemon answers before a job makes anything, so that a stopped dockerd reads as that, with the fix,
 * rather than as a socket error in the middle of creating a network. A hung daemon counts as unreachable after 10 s.
 */
export async function pingDaemon(client: DockerClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
      }),
    ]);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SlipwayError('SLW_RUN_FAILED', `the Docker daemon at ${client.endpoint} does not answer (${reason})`, {
      cause: err,
      hint: 'Start it (as root: `setsid dockerd -H unix:///var/run/docker.sock &`, or `systemctl start docker`), or point DOCKER_HOST at a running daemon.',
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Refuses an image that is not in the local store: the Docker executor never pulls (hosts here are offline, and a
 * pull would make a run depend on a registry). `where` names the workflow key that asked for it.
 */
export async function ensureImage(client: DockerClient, image: string, where: string): Promise<void> {
  try {
    await client.docker.getImage(image).inspect();
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
    throw new SlipwayError('SLW_RUN_FAILED', `${where}: image ${image} is not present locally; build it (scripts/build-base-image.sh makes slipway/node:20 and slipway/runner:latest) or load it with \`docker load\`. Slipway never pulls images.`, {
      path: where,
      cause: err,
      hint: 'Build or load the image on the Docker host, then re-run the job.',
    });
  }
}
