import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.js';
import { slipwayConfigSchema, type SlipwayConfig } from '../config/schema.js';
import { dependencyOrder, ownedPaths, selectServices } from './path-filter.js';

function load(name: string): SlipwayConfig {
  const parsed = parseConfig(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8'), name);
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format()).join('\n'));
  return parsed.value;
}

const config = load('monorepo.slipway.yaml');

/** The triggered services of a change, by name. */
const triggered = (changed: string[] | null, configChanged?: Set<string>) =>
  selectServices(config, changed, configChanged)
    .filter((t) => t.triggered)
    .map((t) => t.service);

describe('selectServices', () => {
  it('triggers every service on the first commit a project sees', () => {
    expect(selectServices(config, null)).toEqual(['api', 'web', 'auth', 'worker'].map((service) => ({ service, triggered: true, reason: 'first commit seen' })));
  });

  it.each([
    ['an owned file', ['services/api/server.js'], ['api']],
    ['a file deep under the owned directory', ['services/worker/src/jobs/x.ts'], ['worker']],
    ['a path that only shares a prefix', ['services/apiv2/server.js'], []],
    ['a shared library of two services', ['libs/common/log.ts'], ['api', 'web']],
    ['a shared library of one service', ['libs/ui/button.tsx'], ['web']],
    ['a shared lockfile', ['package-lock.json'], ['api']],
    ['custom paths: a file inside them', ['services/auth/src/index.ts'], ['auth']],
    ['custom paths: a file under the path but outside them', ['services/auth/README.md'], []],
    ['custom paths: a `**/` glob', ['proto/v1/auth.proto'], ['auth']],
    ['several changes', ['services/web/app.tsx', 'services/worker/worker.js'], ['web', 'worker']],
    ['an unrelated file', ['README.md', 'docs/intro.md'], []],
    ['no change at all', [], []],
  ])('%s', (_what, changed, expected) => {
    expect(triggered(changed)).toEqual(expected);
  });

  it('names the owned or shared glob that matched in the reason', () => {
    const [api, web] = selectServices(config, ['libs/common/log.ts', 'services/api/server.js']);
    // The first changed path that matches decides the reason.
    expect(api).toEqual({ service: 'api', triggered: true, reason: 'libs/common/log.ts changed (shared: libs/common/**)' });
    expect(web).toEqual({ service: 'web', triggered: true, reason: 'libs/common/log.ts changed (shared: libs/common/**)' });
    expect(selectServices(config, ['services/api/server.js'])[0]).toEqual({ service: 'api', triggered: true, reason: 'services/api/server.js changed (owned: services/api/**)' });
  });

  it('triggers the services whose configuration changed, even when no file under them did', () => {
    expect(triggered(['slipway.yaml'], new Set(['worker']))).toEqual(['worker']);
    expect(selectServices(config, ['slipway.yaml'], new Set(['worker']))[3]).toEqual({ service: 'worker', triggered: true, reason: 'its configuration in slipway.yaml changed' });
  });

  it('skips an untouched service with a reason naming its owned and shared globs', () => {
    const byName = Object.fromEntries(selectServices(config, ['README.md']).map((t) => [t.service, t]));
    expect(byName.api).toEqual({ service: 'api', triggered: false, reason: 'no change under services/api/** or libs/common/**, package-lock.json' });
    expect(byName.auth).toEqual({ service: 'auth', triggered: false, reason: 'no change under services/auth/src/**, **/auth.proto' });
    expect(byName.worker).toEqual({ service: 'worker', triggered: false, reason: 'no change under services/worker/**' });
  });
});

describe('ownedPaths', () => {
  const single = (path: string) =>
    slipwayConfigSchema.parse({ project: 'p', services: { app: { path, command: 'node server.js' } } });

  it.each([
    ['services/api', ['services/api/**']],
    ['services/api/', ['services/api/**']],
    ['services/api//', ['services/api/**']],
    ['./services/api', ['services/api/**']],
    // `slipway init` writes `path: .` for a single-service repository: the service owns the whole tree.
    ['.', ['**']],
    ['./', ['**']],
  ])('path %j owns %j', (path, expected) => {
    expect(ownedPaths(single(path), 'app')).toEqual(expected);
  });

  it('a service at the repository root is triggered by a change anywhere', () => {
    expect(selectServices(single('.'), ['server.js'])).toEqual([{ service: 'app', triggered: true, reason: 'server.js changed (owned: **)' }]);
  });

  it('uses `paths` instead of `path` when given, and nothing for an unknown service', () => {
    expect(ownedPaths(config, 'auth')).toEqual(['services/auth/src/**', '**/auth.proto']);
    expect(ownedPaths(config, 'nope')).toEqual([]);
  });
});

describe('dependencyOrder', () => {
  const deps = (services: Record<string, string[]>) =>
    dependencyOrder(
      slipwayConfigSchema.parse({
        project: 'p',
        services: Object.fromEntries(Object.entries(services).map(([name, dependsOn]) => [name, { path: name, command: 'x', dependsOn }])),
      }),
    );

  it.each([
    ['declaration order without dependencies', { a: [], b: [], c: [] }, ['a', 'b', 'c']],
    ['a dependency declared later comes first', { web: ['api'], api: [] }, ['api', 'web']],
    ['a chain', { c: ['b'], b: ['a'], a: [] }, ['a', 'b', 'c']],
    ['a diamond', { d: ['b', 'c'], b: ['a'], c: ['a'], a: [] }, ['a', 'b', 'c', 'd']],
    ['independent services keep their place', { x: [], web: ['api'], api: [], y: [] }, ['x', 'api', 'web', 'y']],
  ])('%s', (_what, services, expected) => {
    expect(deps(services)).toEqual(expected);
  });

  it('puts every service after its dependencies (monorepo fixture)', () => {
    const order = dependencyOrder(config);
    expect(order).toEqual(['api', 'auth', 'web', 'worker']);
    for (const [svc, spec] of Object.entries(config.services)) {
      for (const dep of spec.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(svc));
    }
  });

  it('terminates on a cycle (the config check reports it; ordering must not hang)', () => {
    expect(deps({ a: ['b'], b: ['a'] }).sort()).toEqual(['a', 'b']);
  });
});
