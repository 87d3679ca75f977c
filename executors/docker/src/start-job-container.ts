import type { ContainerSpec, JobEnvironmentSpec } from '@slipway/core';
import { SlipwayError } from '@slipway/core';
import { containerConfig, createAndStart, lastLogLines } from './container-config.js';
import type { DockerClient } from './docker-client.js';
import { objectName } from './labels.js';

/**
 * A shell that waits forever: the job container only hosts the steps' execs. It stops at once on SIGTERM (the trap
 * lets `wait` return), and the init process reaps what steps leave behind.
 */
const keepAlive = ['sh', '-c', 'trap : TERM INT; sleep infinity & wait'];

/**
 * Starts the job container on the job network, with the workspace and the temp directory bind-mounted at the same
 * absolute paths, so that paths in steps, environment files and the `github` context mean the same inside and out.
 */
export async function startJobContainer(client: DockerClient, spec: JobEnvironmentSpec, network: string, image: ContainerSpec): Promise<string> {
  const config = containerConfig(spec.id, network, image, 'container');
  const container = await createAndStart(
    client,
    {
      ...config,
      name: objectName(spec.id),
      // The image's own entrypoint would run instead of the keep-alive shell; GitHub Actions overrides it the same way.
      Entrypoint: keepAlive,
      Cmd: [],
      WorkingDir: spec.workspace,
      HostConfig: { ...config.HostConfig, Binds: [...(config.HostConfig?.Binds ?? []), `${spec.workspace}:${spec.workspace}`, `${spec.temp}:${spec.temp}`] },
    },
    'container',
  );
  const info = await container.inspect();
  if (!info.State.Running) {
    const logs = await lastLogLines(container);
    throw new SlipwayError('SLW_RUN_FAILED', `container: the job container (${image.image}) exited at start with code ${info.State.ExitCode}${logs ? `:\n${logs}` : ''}`, {
      path: 'container',
      hint: 'The job image needs a POSIX shell (sh) with sleep; slipway/runner:latest has both.',
    });
  }
  return info.Id;
}
