import { SlipwayError, type Executor } from '@slipway/core';
import { createDockerExecutor } from '@slipway/executor-docker';
import { createHostExecutor } from '@slipway/executor-host';

export type ExecutorMode = 'auto' | 'host' | 'docker';

/**
 * The executors of a local run. `auto`: steps run on this machine, and only jobs with `container:` or `services:` run in
 * Docker. `host` and `docker` force one for every job (with `host`, a job container and its services are ignored).
 */
export function localExecutors(mode: ExecutorMode): {
  executor: Executor;
  executorForJob?: (job: { container?: unknown; services?: unknown }) => Executor;
  /** Removes the containers and networks that killed runs (of any Slipway process) left behind. */
  cleanupOrphans?: () => Promise<number>;
} {
  if (mode === 'host') return { executor: createHostExecutor() };
  const raw = createDockerExecutor();
  const docker = explainDocker(raw, mode);
  const cleanupOrphans = () => raw.cleanupOrphans();
  if (mode === 'docker') return { executor: docker, cleanupOrphans };
  const host = createHostExecutor();
  const needsDocker = (job: { container?: unknown; services?: unknown }) => Boolean(job.container) || Object.keys((job.services as object | undefined) ?? {}).length > 0;
  return { executor: host, executorForJob: (job) => (needsDocker(job) ? docker : host), cleanupOrphans };
}

/** Says, in the job's log, why the job needed Docker and what to do when the daemon does not answer. */
function explainDocker(docker: Executor, mode: ExecutorMode): Executor {
  return {
    ...docker,
    async prepareJob(spec, signal) {
      try {
        return await docker.prepareJob(spec, signal);
      } catch (err) {
        if (err instanceof SlipwayError && /Docker daemon/.test(err.message)) {
          const why = mode === 'docker' ? 'this run uses the Docker executor' : 'this job has a container: or services:, which run in Docker';
          throw new SlipwayError(err.code, `${why}, but ${err.message}; start Docker, or re-run with --executor host to run its steps on this machine`, { cause: err, hint: err.hint });
        }
        throw err;
      }
    },
  };
}
