import { describe, expect, it } from 'vitest';
import { differences, project, seal } from './projection.js';

const applied = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', labels: { app: 'api' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'api:1', resources: { limits: { cpu: '0.5' } } }] } } },
};

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', labels: { app: 'api' }, annotations: { 'deployment.kubernetes.io/revision': '3' }, resourceVersion: '812', generation: 3, managedFields: [{ manager: 'slipway' }] },
  spec: {
    replicas: 2,
    progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate' },
    template: { spec: { containers: [{ name: 'app', image: 'api:1', imagePullPolicy: 'IfNotPresent', resources: { limits: { cpu: '500m' } } }], dnsPolicy: 'ClusterFirst' } },
  },
  status: { replicas: 2 },
};

describe('project', () => {
  it("keeps only the applied fields: server defaults, status and other managers' fields drop out", () => {
    expect(project(applied, live)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', labels: { app: 'api' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'api:1', resources: { limits: { cpu: '500m' } } }] } } },
    });
  });

  it("shows a removed field as null, and leaves out list items another manager added", () => {
    const changed = { ...live, metadata: { name: 'api' }, spec: { ...live.spec, template: { spec: { containers: [...live.spec.template.spec.containers, { name: 'sidecar' }] } } } };
    const p = project(applied, changed) as { metadata: { labels: unknown }; spec: { template: { spec: { containers: unknown[] } } } };
    expect(p.metadata.labels).toEqual({ app: null });
    expect(p.spec.template.spec.containers).toHaveLength(1);
  });

  it('is its own shape: projecting with a projection gives the same projection', () => {
    const once = project(applied, live);
    expect(project(once, live)).toEqual(once);
  });
});

describe('differences', () => {
  // The expected projection is taken from the server's answer to the apply: its normalised values ("500m") count.
  const expected = project(applied, live);

  it('finds none when only unmanaged fields changed', () => {
    const other = { ...live, metadata: { ...live.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' }, resourceVersion: '900' }, status: { replicas: 5 } };
    expect(differences(expected, project(applied, other))).toEqual([]);
  });

  it('names the path and both values of a managed field changed by hand', () => {
    const scaled = { ...live, spec: { ...live.spec, replicas: 5 } };
    expect(differences(expected, project(applied, scaled))).toEqual(['spec.replicas: 5 (want 2)']);
  });

  it('reports a list item by index and an object that is gone', () => {
    const image = { ...live, spec: { ...live.spec, template: { spec: { containers: [{ ...live.spec.template.spec.containers[0], image: 'evil:1' }] } } } };
    expect(differences(expected, project(applied, image))).toEqual(['spec.template.spec.containers[0].image: "evil:1" (want "api:1")']);
    expect(differences(expected, project(applied, undefined)).length).toBeGreaterThan(0);
  });

  it('stops at the limit', () => {
    expect(differences({ a: 1, b: 2, c: 3 }, { a: 0, b: 0, c: 0 }, 2)).toHaveLength(2);
  });
});

describe('seal', () => {
  it("replaces a Secret's values by digests, and leaves other kinds alone", () => {
    const secret = seal('Secret', { metadata: { name: 's' }, data: { TOKEN: 'czNjcmV0' } }) as { data: { TOKEN: string } };
    expect(secret.data.TOKEN).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(secret)).not.toContain('czNjcmV0');
    expect(seal('Secret', { data: { TOKEN: 'czNjcmV0' } })).toEqual({ data: secret.data });
    expect(seal('ConfigMap', { data: { A: 'b' } })).toEqual({ data: { A: 'b' } });
  });
});
