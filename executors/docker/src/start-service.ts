import type { ContainerSpec, ServiceEndpoint } from '@slipway/core';
import { SlipwayError } from '@slipway/core';
import { containerConfig, createAndStart, lastLogLines } from './container-config.js';
import type { DockerClient } from './docker-client.js';
import { objectName } from './labels.js';
import { publishedPorts } from './port-bindings.js';

/**
 * Starts one service container on the job network, reachable from the job container by its key as hostname, and
 * waits until it runs — and, when it has a health check, until Docker reports it healthy, as GitHub Actions does.
 */
export async function startService(client: DockerClient, jobId: string, network: string, key: string, spec: ContainerSpec, signal: AbortSignal): Promise<ServiceEndpoint> {
  const where = `services.${key}`;
  const config = containerConfig(jobId, network, spec, where);
  const container = await createAndStart(
    client,
    { ...config, name: objectName(jobId, key), NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [key] } } } },
    where,
  );
  for (;;) {
    signal.throwIfAborted();
    const info = await container.inspect();
    const health = info.State.Health?.Status;
    if (!info.State.Running) {
      const logs = await lastLogLines(container);
      throw new SlipwayError('SLW_RUN_FAILED', `${where}: the service container (${spec.image}) exited with code ${info.State.ExitCode}${logs ? `:\n${logs}` : ''}`, { path: where });
    }
    if (health === 'unhealthy') {
      const last = info.State.Health?.Log?.at(-1)?.Output?.trim();
      throw new SlipwayError('SLW_RUN_FAILED', `${where}: the service container (${spec.image}) is unhealthy${last ? `: ${last}` : ''}`, { path: where });
    }
    if (health === undefined || health === 'none' || health === 'healthy') {
      return { id: info.Id, network, ports: publishedPorts(info.NetworkSettings.Ports) };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
