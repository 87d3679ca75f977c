import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Promotion, SlipwayEvent } from '@slipway/core';
import { crashPoints } from '../../packages/engine/src/crash-point.js';
import { freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

const server = "import http from 'node:http';\nhttp.createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n";
const config = ['project: crash', 'services:', '  api:', '    path: api', '    command: node server.mjs', 'environments:', '  dev: {}', '  staging: {}', '  prod: {}', ''].join('\n');

/**
 * SIGKILL of the server at ten points of a release's way from creation to prod (SLIPWAY_CRASH_AT, see
 * packages/engine/src/crash-point.ts). After each restart the release reaches every environment, every promotion ends
 * in one final state, and the event log says each thing once: one deploy per environment, no double start or success.
 */
describe('SIGKILL during a promotion', () => {
  const dir = tempDir('promotion-crash');
  const repo = join(dir.path, 'repo');
  const dataDir = join(dir.path, 'data');
  let port = 0;
  let s: ServerProcess | undefined;
  let projectId = '';
  let version = 1;

  const start = async (crashAt?: string) => {
    s = await startSlipway(['server', '--data-dir', dataDir], { port, ...(crashAt ? { env: { SLIPWAY_CRASH_AT: crashAt } } : {}) });
    return s;
  };
  const envs = async () => (await s!.status()).projects[0]!.environments;
  const everywhere = (v: number) =>
    waitFor(`v${v} healthy in dev, staging and prod`, async () => {
      const all = await envs();
      return all.length === 3 && all.every((e) => e.desiredRelease?.version === v && e.health === 'healthy' && e.services[0]?.releaseVersion === v) ? all : undefined;
    }, 60_000, 200);

  beforeAll(async () => {
    port = await freePort();
    await initRepo(repo, { 'slipway.yaml': config, 'api/server.mjs': server, 'api/version.txt': '1\n' });
    await start();
    projectId = (await addProject(s!, repo, 'crash')).id;
    await everywhere(1);
    await s!.stop();
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it.each(crashPoints.map((p) => [p]))('converges after a SIGKILL at %s, and says everything once', async (point) => {
    const crashing = await start(point);
    const died = new Promise<NodeJS.Signals | null>((resolve) => crashing.child.once('exit', (_code, signal) => resolve(signal)));
    version++;
    writeFileSync(join(repo, 'api/version.txt'), `${version}\n`);
    await git(repo, 'commit', '-qam', `api ${version}`);
    await fetch(`${crashing.url}/api/projects/${projectId}/poll`, { method: 'POST' });
    const signal = await Promise.race([died, new Promise((r) => setTimeout(() => r('timeout'), 40_000))]);
    expect(signal, `the server was not killed at ${point}:\n${crashing.output().slice(-2000)}`).toBe('SIGKILL');

    await start();
    await everywhere(version);
    // Every promotion is in a final state: none waits or deploys any more.
    const promotions = (await s!.get<{ items: Promotion[] }>('/api/promotions?limit=500')).items;
    expect(promotions.filter((p) => p.phase === 'pending' || p.phase === 'running')).toEqual([]);

    const events = (await s!.get<{ items: SlipwayEvent[] }>('/api/events?limit=1000&newest=1')).items;
    const of = (kind: string) => events.filter((e) => e.kind === kind && e.data.version === version);
    const count = (kind: string, key: (e: SlipwayEvent) => unknown) => {
      const m = new Map<unknown, number>();
      for (const e of of(kind)) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
      return Object.fromEntries(m);
    };
    expect(of('release.created')).toHaveLength(1);
    expect(count('promotion.created', (e) => e.data.environment)).toEqual({ dev: 1, staging: 1, prod: 1 });
    expect(count('promotion.started', (e) => e.data.environment)).toEqual({ dev: 1, staging: 1, prod: 1 });
    expect(count('deployment.started', (e) => e.data.environment)).toEqual({ dev: 1, staging: 1, prod: 1 });
    expect(count('deployment.succeeded', (e) => e.data.environment)).toEqual({ dev: 1, staging: 1, prod: 1 });
    expect(count('promotion.succeeded', (e) => e.data.environment)).toEqual({ dev: 1, staging: 1, prod: 1 });
    await s!.stop();
  }, 120_000);
});
