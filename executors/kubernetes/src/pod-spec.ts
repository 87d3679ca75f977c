import { splitWords } from '@slipway/core';
import type { V1Container, V1Pod, V1ResourceRequirements, V1Toleration } from '@kubernetes/client-node';
import type { ContainerSpec, JobEnvironmentSpec, ServiceEndpoint } from '@slipway/core';
import { containerPorts } from './container-ports.js';
import { parseContainerOptions, type PodContainerOptions } from './container-options.js';
import { jobContainer, jobIdAnnotation, jobLabel, labelValue, managedByLabel, managedByValue, ownerAnnotation, ownerValue, podName, serviceContainerName } from './names.js';
import { containerVolumes, sharedHostPaths } from './pod-volumes.js';

/** CPU and memory as Kubernetes quantities (`500m`, `2`, `512Mi`). */
export interface ResourceAmounts {
  cpu?: string;
  memory?: string;
}

/** The requests and limits of every job container; a job's `--cpus` and `--memory` options win for their resource. */
export interface PodResources {
  requests?: ResourceAmounts;
  limits?: ResourceAmounts;
}

/** What the executor's settings add to every job pod. */
export interface PodSettings {
  namespace: string;
  defaultImage: string;
  resources?: PodResources;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  imagePullPolicy?: ImagePullPolicy;
}

/** When the kubelet pulls a container's image; Kubernetes' default is Always for a `latest` tag, else IfNotPresent. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The pod of one job, and the `job.services` context that goes with it. */
export interface JobPod {
  pod: V1Pod;
  services: Record<string, ServiceEndpoint>;
}

/**
 * A shell that waits forever: the job container only hosts the steps' execs. It stops at once on SIGTERM (the trap
 * lets `wait` return). The same keep-alive as the Docker executor's job container.
 */
export const keepAlive = ['sh', '-c', 'trap : TERM INT; sleep infinity & wait'];

/**
 * Renders the pod of a job: the job container (the job's `container:` or the default image) with the workspace and the
 * temp directory at their host paths, and one container per service. Containers of a pod share one network namespace,
 * so a step reaches a service on localhost at its container port, and by its key as a host name (a hostAliases entry
 * for 127.0.0.1 keeps `host: postgres` in workflows working). Pure: parsing errors name the workflow key.
 */
export function renderJobPod(spec: JobEnvironmentSpec, settings: PodSettings): JobPod {
  const name = podName(spec.id);
  const image: ContainerSpec = spec.container ?? { image: settings.defaultImage };
  const jobOptions = parseContainerOptions(image.options, 'container.options');
  const shared = sharedHostPaths([spec.workspace, spec.temp]);
  const jobVolumes = containerVolumes(image.volumes, 'job', 'container.volumes');
  const jobPorts = containerPorts(image.ports, 'container.ports');
  const pullPolicy = settings.imagePullPolicy ? { imagePullPolicy: settings.imagePullPolicy } : {};
  const job: V1Container = {
    name: jobContainer,
    image: image.image,
    ...pullPolicy,
    // The image's own entrypoint would run instead of the keep-alive shell; GitHub Actions overrides it the same way.
    command: keepAlive,
    workingDir: spec.workspace,
    env: [...envList(image.env), ...jobOptions.env],
    ...(jobPorts.ports.length ? { ports: jobPorts.ports } : {}),
    volumeMounts: [...shared.mounts, ...jobVolumes.mounts],
    ...resourceBlock(jobOptions, settings.resources),
    ...securityContext(jobOptions),
  };
  const containers: V1Container[] = [job];
  const volumes = [...shared.volumes, ...jobVolumes.volumes];
  const services: Record<string, ServiceEndpoint> = {};
  for (const [key, service] of Object.entries(spec.services ?? {})) {
    const where = `services.${key}`;
    const options = parseContainerOptions(service.options, `${where}.options`);
    const own = containerVolumes(service.volumes, serviceContainerName(key), `${where}.volumes`);
    const ports = containerPorts(service.ports, `${where}.ports`);
    const entrypoint = service.entrypoint ?? options.entrypoint;
    const container = serviceContainerName(key);
    containers.push({
      name: container,
      image: service.image,
      ...pullPolicy,
      // A service's `entrypoint:` and `command:` keys win over `--entrypoint` in its options, as with Docker.
      ...(entrypoint ? { command: [entrypoint] } : {}),
      ...(service.command ? { args: splitWords(service.command, `${where}.command`) } : {}),
      ...(options.workdir ? { workingDir: options.workdir } : {}),
      env: [...envList(service.env), ...options.env],
      ...(ports.ports.length ? { ports: ports.ports } : {}),
      ...(own.mounts.length ? { volumeMounts: own.mounts } : {}),
      ...resourceBlock(options, undefined),
      ...securityContext(options),
      ...(options.health?.command
        ? {
            readinessProbe: {
              exec: { command: ['sh', '-c', options.health.command] },
              ...(options.health.periodSeconds ? { periodSeconds: options.health.periodSeconds } : {}),
              ...(options.health.timeoutSeconds ? { timeoutSeconds: options.health.timeoutSeconds } : {}),
              ...(options.health.failureThreshold ? { failureThreshold: options.health.failureThreshold } : {}),
              ...(options.health.initialDelaySeconds ? { initialDelaySeconds: options.health.initialDelaySeconds } : {}),
            },
          }
        : {}),
    });
    volumes.push(...own.volumes);
    services[key] = { id: container, network: null, ports: ports.reachable };
  }
  const hostnames = Object.keys(spec.services ?? {}).filter((key) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(key));
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: settings.namespace,
      labels: { [managedByLabel]: managedByValue, [jobLabel]: labelValue(spec.id) },
      annotations: { [jobIdAnnotation]: spec.id, [ownerAnnotation]: ownerValue },
    },
    spec: {
      restartPolicy: 'Never',
      // Steps get no credentials for the cluster they run on; a job that needs some brings its own.
      automountServiceAccountToken: false,
      // Service links would put every Service of the namespace into each step's environment.
      enableServiceLinks: false,
      ...(hostnames.length ? { hostAliases: [{ ip: '127.0.0.1', hostnames }] } : {}),
      ...(settings.nodeSelector ? { nodeSelector: settings.nodeSelector } : {}),
      ...(settings.tolerations ? { tolerations: settings.tolerations } : {}),
      containers,
      volumes,
    },
  };
  return { pod, services };
}

const envList = (env: Record<string, string> | undefined) => Object.entries(env ?? {}).map(([name, value]) => ({ name, value: String(value) }));

/** Requests and limits: the defaults, with a container's `--cpus`/`--memory` as both request and limit of its resource. */
export function resourceBlock(options: Pick<PodContainerOptions, 'cpu' | 'memory'>, defaults: PodResources | undefined): { resources?: V1ResourceRequirements } {
  const requests: Record<string, string> = { ...defaults?.requests };
  const limits: Record<string, string> = { ...defaults?.limits };
  for (const resource of ['cpu', 'memory'] as const) {
    const value = options[resource];
    if (value === undefined) continue;
    // Both, so that a default request above the job's own limit cannot make the pod invalid.
    requests[resource] = value;
    limits[resource] = value;
  }
  const block: V1ResourceRequirements = {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
  return Object.keys(block).length ? { resources: block } : {};
}

function securityContext(options: PodContainerOptions): Pick<V1Container, 'securityContext'> {
  if (options.runAsUser === undefined) return {};
  return { securityContext: { runAsUser: options.runAsUser, ...(options.runAsGroup !== undefined ? { runAsGroup: options.runAsGroup } : {}) } };
}
