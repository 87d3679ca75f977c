import { mkdir } from 'node:fs/promises';
import type { ContainerSpec, Executor, JobEnvironment, ServiceEndpoint } from '@slipway/core';
import { createDockerClient, ensureImage, pingDaemon } from './docker-client.js';
import { execStep } from './exec-step.js';
import { jobLabels, objectName } from './labels.js';
import { removeJob, removeOrphans } from './remove-job.js';
import { startJobContainer } from './start-job-container.js';
import { startService } from './start-service.js';

export interface DockerExecutorOptions {
  /** The daemon's Unix socket; DOCKER_HOST or /var/run/docker.sock when absent. */
  socketPath?: string;
  /** The job image when a job has no `container:`; `slipway/runner:latest` (built by scripts/build-base-image.sh). */
  defaultImage?: string;
}

/**
 * The Docker executor: per job a bridge network, the service containers on it (reachable by their keys as hostnames)
 * and a job container whose steps run through `docker exec`. The workspace and temp directories are mounted at their
 * host paths. Images must already be on the Docker host: nothing is ever pulled.
 */
export function createDockerExecutor(options: DockerExecutorOptions = {}): Executor & { cleanupOrphans(): Promise<number> } {
  const client = createDockerClient(options.socketPath);
  const defaultImage = options.defaultImage ?? 'slipway/runner:latest';
  return {
    name: 'docker',
    async prepareJob(spec, signal): Promise<JobEnvironment> {
      signal.throwIfAborted();
      await pingDaemon(client);
      const jobImage: ContainerSpec = spec.container ?? { image: defaultImage };
      const services = Object.entries(spec.services ?? {});
      // Every image is checked before anything is made, so that a missing one costs no network or container.
      await Promise.all([ensureImage(client, jobImage.image, 'container'), ...services.map(([key, s]) => ensureImage(client, s.image, `services.${key}`))]);
      await mkdir(spec.workspace, { recursive: true });
      await mkdir(spec.temp, { recursive: true });
      const network = objectName(spec.id);
      try {
        await client.docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: jobLabels(spec.id) });
        // allSettled, not all: a failure must not leave a sibling still being created after the cleanup below listed
        // what to remove.
        const started = await Promise.allSettled([
          startJobContainer(client, spec, network, jobImage),
          ...services.map(([key, s]) => startService(client, spec.id, network, key, s, signal)),
        ]);
        const failed = started.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        signal.throwIfAborted();
        const [job, ...endpoints] = started.map((r) => (r as PromiseFulfilledResult<string | ServiceEndpoint>).value);
        const container = client.docker.getContainer(job as string);
        let disposing: Promise<void> | undefined;
        return {
          executor: 'docker',
          container: { id: job as string, network },
          services: Object.fromEntries(services.map(([key], i) => [key, endpoints[i] as ServiceEndpoint])),
          runStep: (step, onOutput, stepSignal) => execStep(container, spec.temp, step, onOutput, stepSignal),
          dispose() {
            // Concurrent and repeated calls share one removal; a failed one (daemon down) may be retried.
            disposing ??= removeJob(client, spec.id).then(
              () => undefined,
              (err: unknown) => {
                disposing = undefined;
                throw err;
              },
            );
            return disposing;
          },
        };
      } catch (err) {
        await removeJob(client, spec.id).catch(() => undefined);
        throw err;
      }
    },
    cleanupOrphans: () => removeOrphans(client),
  };
}
