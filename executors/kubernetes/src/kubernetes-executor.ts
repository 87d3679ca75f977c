import { mkdir } from 'node:fs/promises';
import type { V1Toleration } from '@kubernetes/client-node';
import type { Executor, JobEnvironment } from '@slipway/core';
import { deleteOrphans, deletePod } from './delete-pods.js';
import { execStep } from './exec-step.js';
import { createKubeClient, kubeCall } from './kube-client.js';
import { jobContainer } from './names.js';
import { renderJobPod, type ImagePullPolicy, type PodResources } from './pod-spec.js';
import { waitForPod } from './wait-for-pod.js';

export interface KubernetesExecutorOptions {
  /** A kubeconfig file's path, or its YAML text. */
  kubeconfig: string;
  /** The kubeconfig context; its current context when absent. */
  context?: string;
  /** Where job pods are made; it must exist (`slipway-ci` by convention). */
  namespace: string;
  /** The job image when a job has no `container:`; default `slipway/runner:latest` (scripts/build-base-image.sh). */
  image?: string;
  /** Requests and limits of every job container; a job's `--cpus`/`--memory` options win for their resource. */
  resources?: PodResources;
  /** Scheduling constraints of every job pod, for clusters that keep CI on some nodes. */
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  /**
   * Of every container of a job pod; the cluster's default when absent (Always for a `latest` tag). IfNotPresent runs
   * images loaded onto a node, such as the default slipway/runner:latest on the dev cluster's real node.
   */
  imagePullPolicy?: ImagePullPolicy;
  /** How long a pod may take to run with every container ready (scheduling, image pulls, service probes). Default 180 s. */
  startTimeoutMs?: number;
}

/**
 * The Kubernetes executor: one pod per job in the namespace, with the job container and the services as its
 * containers (services answer on localhost and by their keys as host names), and steps run through the exec API.
 * The workspace and the temp directory are hostPath volumes at their host paths: the same-path rule of the Executor
 * port holds only when the pod's node is this machine, a single-node or development cluster (ADR 023).
 */
export function createKubernetesExecutor(options: KubernetesExecutorOptions): Executor & { cleanupOrphans(): Promise<number> } {
  const client = createKubeClient(options.kubeconfig, options.context);
  const namespace = options.namespace;
  const settings = {
    namespace,
    defaultImage: options.image ?? 'slipway/runner:latest',
    ...(options.resources ? { resources: options.resources } : {}),
    ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
    ...(options.tolerations ? { tolerations: options.tolerations } : {}),
    ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
  };
  return {
    name: 'kubernetes',
    async prepareJob(spec, signal): Promise<JobEnvironment> {
      signal.throwIfAborted();
      // Rendering first: a workflow the executor cannot run costs no API call.
      const { pod, services } = renderJobPod(spec, settings);
      const name = pod.metadata!.name!;
      await mkdir(spec.workspace, { recursive: true });
      await mkdir(spec.temp, { recursive: true });
      await kubeCall(client, `create the pod ${name} in namespace ${namespace}`, () => client.core.createNamespacedPod({ namespace, body: pod }));
      let disposing: Promise<void> | undefined;
      const dispose = () => {
        // Concurrent and repeated calls share one deletion; a failed one (API server down) may be retried.
        disposing ??= deletePod(client, namespace, name).then(
          () => undefined,
          (err: unknown) => {
            disposing = undefined;
            throw err;
          },
        );
        return disposing;
      };
      try {
        await waitForPod(client, namespace, name, options.startTimeoutMs ?? 180_000, signal);
      } catch (err) {
        await dispose().catch(() => undefined);
        throw err;
      }
      const target = { namespace, pod: name, container: jobContainer };
      return {
        executor: 'kubernetes',
        container: { id: `${namespace}/${name}`, network: null },
        services,
        runStep: (step, onOutput, stepSignal) => execStep(client, target, spec.temp, step, onOutput, stepSignal),
        dispose,
      };
    },
    cleanupOrphans: () => deleteOrphans(client, namespace),
  };
}
