import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planServices, type ResourceNode, type SourceProvider, type Store, type TargetDriver } from '@slipway/core';
import { createEngine, createSecretBox, silentLogger } from '@slipway/engine';
import { createSqliteStore } from '@slipway/store';
import { hashToken } from '../../auth/tokens.js';
import { createApp } from '../app.js';

const pod: ResourceNode = { kind: 'Pod', name: 'api-7d9c-x2k4p', namespace: 'dev', health: 'healthy', message: null, drift: [], children: [] };
const apiTree: ResourceNode[] = [
  { kind: 'Secret', name: 'api-env', namespace: 'dev', health: 'healthy', message: null, drift: [], children: [] },
  { kind: 'Deployment', name: 'api', namespace: 'dev', health: 'progressing', message: '1 of 3 replicas available', drift: ['spec.replicas: 3 (want 1)'], children: [pod] },
];

/** A target that only answers what the route reads: the resource tree of each service, or a broken one. */
function fakeDriver(type: string, trees?: Record<string, unknown>): TargetDriver {
  return {
    type,
    observe: async (environment) => ({ environment, services: [] }),
    plan: planServices,
    apply: async (plan) => ({ environment: plan.environment, results: [] }),
    delete: async () => {},
    logs: async () => ({ lines: [] }),
    close: async () => {},
    ...(trees ? { resources: async (_env: string, service: string) => (trees[service] ?? []) as ResourceNode[] } : {}),
  };
}

describe('GET /api/environments/{id}/resources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-resources-route-'));
  let store: Store;
  let request: (path: string, token?: string) => Promise<Response>;
  let closedRequest: (path: string) => Promise<Response>;
  const envs: Record<string, string> = {};

  beforeAll(async () => {
    store = await createSqliteStore({ file: ':memory:' });
    const project = await store.createProject({ name: 'demo', repoUrl: 'https://example.com/demo.git', branch: 'main', pollIntervalMs: 60_000 });
    const records = await store.syncEnvironments(project.id, [
      { name: 'dev', position: 0, targetType: 'kubernetes' },
      { name: 'staging', position: 1, targetType: 'local' },
      { name: 'broken', position: 2, targetType: 'docker' },
    ]);
    for (const e of records) envs[e.name] = e.id;
    const service = { revision: 'r1', commitSha: 'c1', artifact: '/a', config: {} };
    const release = await store.createRelease({ projectId: project.id, commitSha: 'c1', services: { api: service, web: service }, changedServices: ['api', 'web'] });
    for (const e of records) await store.updateEnvironment(e.id, { desiredReleaseId: release.id });
    // Pruned from the release but still running: it stays in the tree until it is gone.
    await store.putServiceStatus({ environmentId: envs.dev!, service: 'old', releaseId: null, revision: 'r0', health: 'healthy', sync: 'out-of-sync', url: null, message: null, updatedAt: new Date().toISOString() });
    const engine = createEngine({
      store,
      // The route reads the store and the driver only; nothing fetches.
      source: {} as SourceProvider,
      driver: fakeDriver('local'),
      drivers: { kubernetes: fakeDriver('kubernetes', { api: apiTree }), docker: fakeDriver('docker', { api: [{ ...apiTree[1], children: [{ ...pod, health: 'fine' }] }] }) },
      dataDir: join(dir, 'data'),
    });
    const secretBox = await createSecretBox({ dataDir: dir });
    const app = (openLoopback: boolean) => createApp({ engine, secretBox, registry: new Registry(), logger: silentLogger, openLoopback, version: 'test' });
    const open = app(true);
    const closed = app(false);
    request = async (path, token) => open.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    closedRequest = async (path) => closed.request(path);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists each service's objects on a Kubernetes target, pods nested under the Deployment, drift and messages kept", async () => {
    const res = await request(`/api/environments/${envs.dev}/resources`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      environment: 'dev',
      target: 'kubernetes',
      supported: true,
      services: [
        { service: 'api', resources: apiTree },
        { service: 'web', resources: [] },
        { service: 'old', resources: [] },
      ],
    });
  });

  it('answers supported: false with empty lists on a target without objects', async () => {
    const res = await request(`/api/environments/${envs.staging}/resources`);
    expect(await res.json()).toEqual({ environment: 'staging', target: 'local', supported: false, services: [{ service: 'api', resources: [] }, { service: 'web', resources: [] }] });
  });

  it.each([
    ['an unknown environment', 'env_nope', 404, 'SLW_NOT_FOUND'],
    ['a driver whose tree breaks the contract', 'broken', 500, 'SLW_DRIVER_CONTRACT'],
  ])('fails with a coded error for %s', async (_what, env, status, code) => {
    const res = await request(`/api/environments/${envs[env] ?? env}/resources`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('needs a token on a closed server, and a viewer may read it', async () => {
    expect((await closedRequest(`/api/environments/${envs.dev}/resources`)).status).toBe(401);
    await store.createToken({ name: 'ro', role: 'viewer', hash: hashToken('viewer-token') });
    expect((await request(`/api/environments/${envs.dev}/resources`, 'viewer-token')).status).toBe(200);
  });

  it('is in the OpenAPI document, the tree as a component that refers to itself', async () => {
    type Doc = { paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const doc = (await (await request('/api/openapi.json')).json()) as Doc;
    const schema = JSON.stringify(doc.paths['/api/environments/{id}/resources']?.get?.responses['200']?.content['application/json']?.schema);
    for (const text of ['"supported"', '"services"', '"$ref":"#/components/schemas/ResourceNode"']) expect(schema).toContain(text);
    const node = doc.components.schemas.ResourceNode!;
    expect(Object.keys(node.properties)).toEqual(['kind', 'name', 'namespace', 'health', 'message', 'drift', 'children']);
    expect(node.properties.children).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/ResourceNode' } });
  });
});
