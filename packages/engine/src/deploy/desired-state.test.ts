import { readFileSync } from 'node:fs';
import { environmentPolicySchema, parseConfig, type EnvironmentRecord, type ObservedState, type Release, type ServiceStatus, type SlipwayConfig } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { releaseOrder, renderDesiredState } from './desired-state.js';

function load(): SlipwayConfig {
  const parsed = parseConfig(readFileSync(new URL('testdata/shop.slipway.yaml', import.meta.url), 'utf8'));
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format()).join('\n'));
  return parsed.value;
}

/** A release as flow/evaluate-release.ts records it: each service's config plus its overrides keyed by environment name. */
function releaseOf(config: SlipwayConfig, revisions: Record<string, string> = {}): Release {
  return {
    id: 'rel_1',
    projectId: 'prj_1',
    version: 1,
    commitSha: 'c0ffee',
    changedServices: Object.keys(config.services),
    createdAt: '2026-01-01T00:00:00.000Z',
    config: null,
    runIds: [],
    services: Object.fromEntries(
      Object.entries(config.services).map(([name, spec]) => {
        const overrides = Object.fromEntries(Object.entries(config.environments).map(([env, e]) => [env, e.overrides[name] ?? {}]));
        return [name, { revision: revisions[name] ?? `src-${name}`, commitSha: 'c0ffee', artifact: `/artifacts/${name}`, config: { ...spec, overrides } }];
      }),
    ),
  };
}

const envRecord = (name: string): EnvironmentRecord => ({ id: `env_${name}`, projectId: 'prj_1', name, position: 0, targetType: 'local', target: { type: 'local' }, desiredReleaseId: null, lastGoodReleaseId: null, hold: null, holdVersion: null, policy: environmentPolicySchema.parse({}) });

const observedAt = (urls: Record<string, string>): ObservedState => ({
  environment: 'env_dev',
  services: Object.entries(urls).map(([service, url]) => ({ service, revision: 'r', releaseId: 'rel_0', health: 'healthy', url, instances: [], message: null })),
});

const statusAt = (service: string, url: string): ServiceStatus => ({
  environmentId: 'env_dev',
  service,
  releaseId: 'rel_0',
  revision: 'r',
  health: 'healthy',
  sync: 'synced',
  url,
  message: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const nothing: ObservedState = { environment: 'env_dev', services: [] };
const config = load();

/** Renders and indexes the result by service. */
async function render(options: { env?: string; release?: Release; observed?: ObservedState; statuses?: ServiceStatus[] } = {}) {
  const state = await renderDesiredState(envRecord(options.env ?? 'dev'), options.release ?? releaseOf(config), options.observed ?? nothing, options.statuses ?? []);
  return { state, by: Object.fromEntries(state.services.map((s) => [s.service, s])) };
}

describe('renderDesiredState', () => {
  it('renders replicas, limits and secrets: the override over the service, values only at deploy time, versions in the revision', async () => {
    const text = readFileSync(new URL('testdata/shop.slipway.yaml', import.meta.url), 'utf8');
    const withLimits = parseConfig(
      text.replace('environments:\n', 'environments:\n  prod:\n    overrides:\n      worker:\n        replicas: 3\n        resources: { memory: 256Mi }\n        env: { TOKEN: "${{ secrets.worker_token }}" }\n'),
    ).value!;
    const release = releaseOf(withLimits);
    const plain = (await renderDesiredState(envRecord('prod'), release, nothing, [])).services.find((x) => x.service === 'worker')!;
    expect(plain).toMatchObject({ replicas: 3, resources: { memoryBytes: 268435456 } });
    expect(plain.env.TOKEN).toBe('${{ secrets.worker_token }}');
    const secrets = { values: { WORKER_TOKEN: 't0k3n' }, versions: { WORKER_TOKEN: '2026-01-01T00:00:00.000Z' } };
    const deployed = (await renderDesiredState(envRecord('prod'), release, nothing, [], secrets)).services.find((x) => x.service === 'worker')!;
    expect(deployed.env.TOKEN).toBe('t0k3n');
    expect(deployed.revision).not.toContain('t0k3n');
    const rotated = (await renderDesiredState(envRecord('prod'), release, nothing, [], { values: { WORKER_TOKEN: 'new' }, versions: { WORKER_TOKEN: '2026-02-01T00:00:00.000Z' } })).services.find((x) => x.service === 'worker')!;
    expect(rotated.revision).not.toBe(deployed.revision);
    // dev has none of it.
    const dev = (await renderDesiredState(envRecord('dev'), release, nothing, [])).services.find((x) => x.service === 'worker')!;
    expect(dev.replicas).toBeUndefined();
    expect(dev.resources).toBeUndefined();
  });

  it('renders every service in dependency order for the environment id', async () => {
    const { state, by } = await render({ observed: observedAt({ web: 'http://127.0.0.1:5001', worker: 'http://127.0.0.1:5002' }) });
    expect(state.environment).toBe('env_dev');
    expect(state.services.map((s) => s.service)).toEqual(['api', 'web', 'worker']);
    expect(by.web).toMatchObject({ releaseId: 'rel_1', artifact: '/artifacts/web', command: 'node server.js', port: 5001 });
    expect(by.web?.env).toEqual({ API_URL: 'http://127.0.0.1:4100/v1', GREETING: 'hello', RETRIES: '3' });
    expect(by.worker?.env).toEqual({ API_URL: 'http://127.0.0.1:4100' });
    expect(by.api?.health).toEqual({ path: '/ready', timeoutSeconds: 30, intervalSeconds: 0.25 });
    expect(by.web?.health).toEqual({ path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 });
  });

  it.each([
    ['the environment override beats the config', 'staging', {}, [], 'api', 4200],
    ['the config beats what runs', 'dev', { api: 'http://127.0.0.1:5999' }, [], 'api', 4100],
    ['the observed URL is kept', 'dev', { web: 'http://127.0.0.1:5123' }, [statusAt('web', 'http://127.0.0.1:5555')], 'web', 5123],
    ['the recorded status URL is kept when the driver sees nothing', 'dev', {}, [statusAt('web', 'http://127.0.0.1:5124')], 'web', 5124],
  ])('port: %s', async (_what, env, urls, statuses, service, port) => {
    const { by } = await render({ env, observed: observedAt(urls), statuses });
    expect(by[service]?.port).toBe(port);
  });

  it('chooses a new free port when nothing fixes one', async () => {
    const { by } = await render();
    for (const svc of ['web', 'worker']) {
      const port = by[svc]?.port;
      expect(Number.isInteger(port) && port! > 0 && port! < 65536, `${svc} port ${port}`).toBe(true);
      expect(port).not.toBe(4100);
    }
  });

  it('applies environment overrides to env and resolves URLs with the overridden port', async () => {
    const { by } = await render({ env: 'staging', observed: observedAt({ web: 'http://127.0.0.1:5001', worker: 'http://127.0.0.1:5002' }) });
    expect(by.web?.env).toEqual({ API_URL: 'http://127.0.0.1:4200/v1', GREETING: 'hi', RETRIES: '3' });
    expect(by.worker?.env).toEqual({ API_URL: 'http://127.0.0.1:4200' });
  });

  describe('revision', () => {
    const fixed = observedAt({ web: 'http://127.0.0.1:5001', worker: 'http://127.0.0.1:5002' });
    const revisions = async (options: Parameters<typeof render>[0] = {}) =>
      Object.fromEntries((await render({ observed: fixed, ...options })).state.services.map((s) => [s.service, s.revision]));

    it('stays equal when nothing changes', async () => {
      expect(await revisions()).toEqual(await revisions());
      // A new release with the same content deploys nothing.
      expect(await revisions({ release: { ...releaseOf(config), id: 'rel_2', version: 2 } })).toEqual(await revisions());
    });

    it.each<[string, Parameters<typeof render>[0], string[]]>([
      ['the source of one service changes', { release: releaseOf(config, { worker: 'src-worker-2' }) }, ['worker']],
      ['the port of web changes', { observed: observedAt({ web: 'http://127.0.0.1:5009', worker: 'http://127.0.0.1:5002' }) }, ['web']],
      // api's port is part of web's and worker's env, through ${{ services.api.url }}.
      ['the port of api changes', { env: 'staging' }, ['api', 'web', 'worker']],
      ['an env value of web changes', { release: withWebEnv({ GREETING: 'hey' }) }, ['web']],
    ])('changes for exactly the affected services when %s', async (_what, options, changed) => {
      const before = await revisions();
      const after = await revisions(options);
      expect(Object.keys(before).filter((s) => before[s] !== after[s])).toEqual(changed);
    });
  });
});

function withWebEnv(env: Record<string, string>): Release {
  const release = releaseOf(config);
  const web = release.services.web!;
  release.services.web = { ...web, config: { ...web.config, env: { ...(web.config.env as Record<string, string>), ...env } } };
  return release;
}

describe('releaseOrder', () => {
  const release = (deps: Record<string, string[]>): Release => ({
    ...releaseOf(config),
    services: Object.fromEntries(Object.entries(deps).map(([name, dependsOn]) => [name, { revision: 'r', commitSha: 'c', artifact: 'a', config: { command: 'x', env: {}, dependsOn } }])),
  });

  it.each([
    ['the fixture', releaseOf(config), ['api', 'web', 'worker']],
    ['no dependencies keep their order', release({ a: [], b: [] }), ['a', 'b']],
    ['a chain declared backwards', release({ c: ['b'], b: ['a'], a: [] }), ['a', 'b', 'c']],
    ['a dependency outside the release is skipped', release({ web: ['api'] }), ['web']],
    ['a cycle does not hang', release({ a: ['b'], b: ['a'] }), ['b', 'a']],
  ])('%s', (_what, rel, expected) => {
    expect(releaseOrder(rel)).toEqual(expected);
  });
});
