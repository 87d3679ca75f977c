import { describe, expect, it } from 'vitest';
import type { DesiredService } from '@slipway/core';
import { adoptManifest, renderService, safeLabel } from './render.js';

const desired = (extra: Partial<DesiredService> = {}): DesiredService => ({
  service: 'api',
  releaseId: 'rel_1',
  revision: 'abc123',
  artifact: '/artifacts/api',
  image: '127.0.0.1:5001/shop/api@sha256:00',
  command: 'node server.js',
  env: { GREETING: 'hi', TOKEN: 's3cret' },
  port: 80,
  health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 },
  ...extra,
});
const ctx = { namespace: 'dev', environment: 'env_01' };

describe('renderService', () => {
  it('renders a Secret for the env, a Deployment on the stable track and a Service, all labelled', () => {
    const [secret, deployment, service, ...rest] = renderService(ctx, desired({ replicas: 2 }));
    expect(rest).toEqual([]);
    expect(secret).toMatchObject({ kind: 'Secret', metadata: { name: 'api-env', namespace: 'dev' } });
    // Values are in the Secret only, base64 as the API stores them (so that the projection compares like with like).
    expect((secret as unknown as { data: Record<string, string> }).data.TOKEN).toBe(Buffer.from('s3cret').toString('base64'));
    expect(JSON.stringify(deployment)).not.toContain('s3cret');
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'api', labels: { 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/environment': 'env_01', 'slipway.dev/service': 'api', 'slipway.dev/track': 'stable' }, annotations: { 'slipway.dev/revision': 'abc123' } },
      spec: { replicas: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'slipway.dev/track': 'stable' } }, progressDeadlineSeconds: 30 },
    });
    const container = (deployment!.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!;
    expect(container).toMatchObject({ image: '127.0.0.1:5001/shop/api@sha256:00', envFrom: [{ secretRef: { name: 'api-env' } }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' } } });
    expect(container.command).toBeUndefined();
    // The Service selects both tracks: a canary takes its share of requests by its share of the replicas.
    expect(service).toMatchObject({ kind: 'Service', spec: { selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 80, targetPort: 'http' }] } });
  });

  it('leaves replicas to an HPA, and adds an Ingress and an HTTPRoute when asked', () => {
    const objects = renderService(ctx, desired({ replicas: 3, kubernetes: { autoscale: { min: 2, max: 5, cpuPercent: 70 }, ingress: { host: 'api.example.com', path: '/' }, route: { gateway: 'infra/edge', hostnames: [] } } }));
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'Ingress', 'HTTPRoute']);
    expect(objects[1]!.spec).not.toHaveProperty('replicas');
    expect(objects[3]!.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { name: 'api' } });
    expect(objects[5]!.spec).toMatchObject({ parentRefs: [{ name: 'edge', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'api', weight: 100 }] }] });
  });

  it("places the pods by the service's node selector and tolerations", () => {
    const placed = renderService(ctx, desired({ kubernetes: { nodeSelector: { pool: 'web' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] } }))[1]!;
    expect((placed.spec as { template: { spec: unknown } }).template.spec).toMatchObject({ nodeSelector: { pool: 'web' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] });
  });

  it('runs the command on the base image when the project builds no image', () => {
    const deployment = renderService(ctx, desired({ image: undefined }))[1]!;
    expect((deployment.spec as { template: { spec: { containers: { image: string; command: string[] }[] } } }).template.spec.containers[0]).toMatchObject({ image: 'slipway/node:20', command: ['sh', '-c', 'node server.js'] });
  });
});

describe('adoptManifest', () => {
  it('adds the labels and the namespace to a namespaced object, and no namespace to a cluster-scoped one', () => {
    const cm = adoptManifest(ctx, 'shop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'shop' } } }, true);
    expect(cm.metadata).toEqual({ name: 'c', namespace: 'dev', labels: { app: 'shop', 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/environment': 'env_01', 'slipway.dev/service': 'shop' } });
    expect(adoptManifest(ctx, 'shop', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } }, false).metadata.namespace).toBeUndefined();
  });

  it('keeps a namespace the manifest sets', () => {
    expect(adoptManifest(ctx, 'shop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'other' } }, true).metadata.namespace).toBe('other');
  });
});

describe('safeLabel', () => {
  it('keeps a valid label value and fixes an invalid one', () => {
    expect(safeLabel('env_01HZ')).toBe('env_01HZ');
    expect(safeLabel('a b/c')).toBe('a-b-c');
    expect(safeLabel(`-${'x'.repeat(80)}`)).toHaveLength(62);
  });
});
