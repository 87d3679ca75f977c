import { SlipwayError, type Executor } from '@slipway/core';

/** The `runs-on` label that sends a job to the Kubernetes executor: `runs-on: kubernetes`, or the label in a list or map. */
export const kubernetesLabel = 'kubernetes';

/** The labels of an evaluated `runs-on:`: a label, a list of labels, or a map with `labels`. */
export function runsOnLabels(runsOn: unknown): string[] {
  if (typeof runsOn === 'string') return [runsOn];
  if (Array.isArray(runsOn)) return runsOn.filter((l): l is string => typeof l === 'string');
  const labels = (runsOn as { labels?: unknown } | null)?.labels;
  return labels === undefined ? [] : runsOnLabels(labels);
}

export interface JobExecutors {
  /** Jobs with no `container:` or `services:`. */
  executor: Executor;
  dockerExecutor?: Executor;
  kubernetesExecutor?: Executor;
}

/**
 * Picks the executor of a job: `runs-on: kubernetes` runs it in a pod (its container and services included); otherwise
 * a job with `container:` or `services:` runs in Docker, and the rest on the host. A job that asks for Kubernetes on a
 * server without it fails with a clear error instead of running somewhere it did not ask for.
 */
export function executorForJob(executors: JobExecutors, job: { container?: unknown; services?: unknown; runsOn?: unknown }): Executor {
  if (runsOnLabels(job.runsOn).includes(kubernetesLabel)) return executors.kubernetesExecutor ?? kubernetesMissing;
  const wantsContainers = Boolean(job.container) || Object.keys((job.services as object | null | undefined) ?? {}).length > 0;
  return executors.dockerExecutor && wantsContainers ? executors.dockerExecutor : executors.executor;
}

const kubernetesMissing: Executor = {
  name: 'kubernetes',
  prepareJob() {
    return Promise.reject(
      new SlipwayError('SLW_CONFIG_INVALID', `the job has runs-on: ${kubernetesLabel}, but this server has no Kubernetes executor`, {
        path: 'runs-on',
        hint: 'Start the server with SLIPWAY_KUBECONFIG (and SLIPWAY_CI_NAMESPACE, default slipway-ci), or remove the label to run the job on the server.',
      }),
    );
  },
};
