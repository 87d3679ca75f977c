import type { DesiredService } from '@slipway/core';
import { annotations, labels, managedBy, type KubeObject } from './objects.js';

/** The port a service's container listens on ($PORT), as on the Docker target. */
export const containerPort = 8080;
/** Default image when the project builds none: the artifact is not in the cluster, so only images really run. */
export const fallbackImage = 'slipway/node:20';

export interface RenderContext {
  namespace: string;
  /** Where the environment's pods go when a service says nothing: a node selector and tolerations. */
  placement?: { nodeSelector?: Record<string, string>; tolerations?: Record<string, string>[] };
  /** The environment id: every object carries it, so that environments sharing a namespace stay apart. */
  environment: string;
}

/** Labels on every object Slipway applies for a service: how watches select them and how the inventory is checked. */
export function managedLabels(ctx: RenderContext, service: string): Record<string, string> {
  return { [labels.managedBy]: managedBy, [labels.environment]: safeLabel(ctx.environment), [labels.service]: service };
}

/**
 * A service as Kubernetes objects: a Secret with its environment (values never sit in the Deployment), a Deployment
 * whose pods carry the `stable` track, a Service selecting the service's pods (both tracks: a canary Deployment takes
 * traffic by its share of the replicas), and optionally an HPA (the Deployment then leaves `replicas` to it), an
 * Ingress and an HTTPRoute.
 */
export function renderService(ctx: RenderContext, desired: DesiredService, options: { track?: Track } = {}): KubeObject[] {
  const name = desired.service;
  const meta = (objectName: string) => ({ name: objectName, namespace: ctx.namespace, labels: { ...managedLabels(ctx, name), [labels.name]: name } });
  const k8s = desired.kubernetes ?? {};
  const port = desired.port ?? 80;
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${name}-env`),
      type: 'Opaque',
      data: Object.fromEntries(Object.entries({ ...desired.env, PORT: String(containerPort) }).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    },
    renderDeployment(ctx, desired, name, 'stable'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name),
      spec: { selector: { [labels.name]: name, ...(options.track ? { [labels.track]: options.track } : {}) }, ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }] },
    },
  ];
  if (k8s.autoscale) {
    objects.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: k8s.autoscale.min,
        maxReplicas: k8s.autoscale.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: k8s.autoscale.cpuPercent } } }],
      },
    });
  }
  if (k8s.ingress) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(name),
      spec: {
        ...(k8s.ingress.className ? { ingressClassName: k8s.ingress.className } : {}),
        rules: [{ host: k8s.ingress.host, http: { paths: [{ path: k8s.ingress.path, pathType: 'Prefix', backend: { service: { name, port: { number: port } } } }] } }],
      },
    });
  }
  if (k8s.route) objects.push(renderRoute(ctx, desired, [{ name, weight: 100 }]));
  return objects;
}

/** The service's Deployment (track `stable`, named after the service) or its canary (`<service>-canary`). */
export function renderDeployment(ctx: RenderContext, desired: DesiredService, name: string, track: Track, replicas?: number): KubeObject {
  const service = desired.service;
  const podLabels = { ...managedLabels(ctx, service), [labels.name]: service, [labels.track]: track };
  const autoscaled = desired.kubernetes?.autoscale !== undefined && track === 'stable';
  const nodeSelector = desired.kubernetes?.nodeSelector ?? ctx.placement?.nodeSelector;
  const tolerations = desired.kubernetes?.tolerations ?? ctx.placement?.tolerations;
  const health = desired.health;
  const limits = desired.resources ? { ...(desired.resources.cpus ? { cpu: String(desired.resources.cpus) } : {}), ...(desired.resources.memoryBytes ? { memory: String(desired.resources.memoryBytes) } : {}) } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ctx.namespace,
      labels: { ...managedLabels(ctx, service), [labels.name]: service, [labels.track]: track },
      annotations: { [annotations.revision]: desired.revision, [annotations.release]: desired.releaseId },
    },
    spec: {
      // With an HPA the replicas are its to set: left out, so they are neither overwritten nor seen as drift.
      ...(autoscaled ? {} : { replicas: replicas ?? desired.replicas ?? 1 }),
      selector: { matchLabels: { [labels.name]: service, [labels.track]: track } },
      progressDeadlineSeconds: Math.max(10, Math.ceil(health.timeoutSeconds)),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: podLabels, annotations: { [annotations.revision]: desired.revision } },
        spec: {
          ...(nodeSelector ? { nodeSelector } : {}),
          ...(tolerations ? { tolerations } : {}),
          containers: [
            {
              name: 'app',
              image: desired.image ?? fallbackImage,
              // Without an image, the artifact is mounted from the node: only a single-node local cluster has it there.
              ...(desired.image ? {} : { command: ['sh', '-c', desired.command], workingDir: '/app', volumeMounts: [{ name: 'artifact', mountPath: '/app', readOnly: true }] }),
              envFrom: [{ secretRef: { name: envSecretName(service, track) } }],
              ports: [{ name: 'http', containerPort, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: health.path, port: 'http' }, periodSeconds: Math.max(1, Math.round(health.intervalSeconds)) },
              ...(limits && Object.keys(limits).length ? { resources: { limits, requests: limits } } : {}),
              // Serving on while the endpoints and every node's proxy forget a pod being replaced.
              lifecycle: { preStop: { sleep: { seconds: 2 } } },
            },
          ],
          ...(desired.image ? {} : { volumes: [{ name: 'artifact', hostPath: { path: desired.artifact, type: 'Directory' } }] }),
        },
      },
    },
  };
}

export type Track = 'stable' | 'canary';
const envSecretName = (service: string, track: Track) => (track === 'stable' ? `${service}-env` : `${service}-canary-env`);

/** A Service selecting one track of the service's pods: `<service>-stable`, `<service>-canary` (route backends), `<service>-preview`. */
export function renderTrackService(ctx: RenderContext, desired: DesiredService, name: string, track: Track): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ctx.namespace, labels: { ...managedLabels(ctx, desired.service), [labels.name]: desired.service, [labels.track]: track } },
    spec: { selector: { [labels.name]: desired.service, [labels.track]: track }, ports: [{ name: 'http', port: desired.port ?? 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

/** The new version next to the stable one: its env Secret and its Deployment on the canary track. */
export function renderCanary(ctx: RenderContext, desired: DesiredService, replicas: number): KubeObject[] {
  const [secret] = renderService(ctx, desired);
  return [{ ...secret!, metadata: { ...secret!.metadata, name: envSecretName(desired.service, 'canary'), labels: { ...secret!.metadata.labels, [labels.track]: 'canary' } } }, renderDeployment(ctx, desired, `${desired.service}-canary`, 'canary', replicas)];
}

/** A Gateway API HTTPRoute to the service, its backends weighted (a canary splits them). */
export function renderRoute(ctx: RenderContext, desired: DesiredService, backends: { name: string; weight: number }[]): KubeObject {
  const route = desired.kubernetes!.route!;
  const [gatewayNamespace, gateway] = route.gateway.includes('/') ? route.gateway.split('/', 2) : [undefined, route.gateway];
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: desired.service, namespace: ctx.namespace, labels: { ...managedLabels(ctx, desired.service), [labels.name]: desired.service } },
    spec: {
      parentRefs: [{ name: gateway, ...(gatewayNamespace ? { namespace: gatewayNamespace } : {}) }],
      ...(route.hostnames.length ? { hostnames: route.hostnames } : {}),
      rules: [{ backendRefs: backends.map((b) => ({ name: b.name, port: desired.port ?? 80, weight: b.weight })) }],
    },
  };
}

/**
 * Adds Slipway's labels to objects written elsewhere (the service's own manifests), to the pod templates of workloads
 * too (so that their pods are found), and the namespace where none is set.
 */
export function adoptManifest(ctx: RenderContext, service: string, object: KubeObject, namespaced: boolean): KubeObject {
  const mine = managedLabels(ctx, service);
  const template = (object.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template;
  const workload = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(object.kind) && template;
  return {
    ...object,
    metadata: {
      ...object.metadata,
      ...(namespaced ? { namespace: object.metadata.namespace ?? ctx.namespace } : {}),
      labels: { ...object.metadata.labels, ...mine },
    },
    ...(workload ? { spec: { ...object.spec, template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...mine } } } } } : {}),
  };
}

/** Label values are at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending alphanumeric. */
export function safeLabel(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
