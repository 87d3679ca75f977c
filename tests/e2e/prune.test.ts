import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '@slipway/core';
import { freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

const server = "import http from 'node:http';\nhttp.createServer((q, r) => r.end(process.env.NAME ?? '')).listen(Number(process.env.PORT), '127.0.0.1');\n";
const service = (name: string) => [`  ${name}:`, `    path: ${name}`, '    command: node server.mjs', '    env:', `      NAME: ${name}`];
const config = (names: string[], envs = ['dev', 'prod']) => ['project: prune', 'services:', ...names.flatMap(service), 'environments:', ...envs.map((e) => `  ${e}: {}`), ''].join('\n');

/** A service removed from slipway.yaml makes a release without it, and the environments prune it: process and status. */
describe('pruning a removed service', () => {
  const dir = tempDir('prune');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  const servicesOf = async (env: string) => (await s.status()).projects[0]?.environments.find((e) => e.name === env)?.services ?? [];

  beforeAll(async () => {
    await initRepo(repo, { 'slipway.yaml': config(['keep', 'drop']), 'keep/server.mjs': server, 'drop/server.mjs': server });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    await addProject(s, repo, 'prune');
    await waitFor('both services healthy in prod', async () => (await servicesOf('prod')).filter((x) => x.health === 'healthy').length === 2, 60_000, 200);
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('deletes it from every environment and forgets its status', async () => {
    const dropUrl = (await servicesOf('prod')).find((x) => x.service === 'drop')!.url!;
    expect(await (await fetch(dropUrl)).text()).toBe('drop');
    writeFileSync(join(repo, 'slipway.yaml'), config(['keep']));
    await git(repo, 'commit', '-qam', 'remove drop');
    await fetch(`${s.url}/api/projects/prune/poll`, { method: 'POST' });
    const release = await waitFor('a release without drop', async () => (await s.get<{ items: Release[] }>('/api/releases?limit=1')).items.find((r) => r.version === 2), 30_000, 200);
    expect(Object.keys(release.services)).toEqual(['keep']);
    for (const env of ['dev', 'prod']) await waitFor(`drop pruned from ${env}`, async () => (await servicesOf(env)).map((x) => x.service).join() === 'keep', 30_000, 200);
    await expect(fetch(dropUrl)).rejects.toThrow();
    expect((await s.events()).filter((e) => e.kind === 'deployment.started' && e.data.version === 2).map((e) => e.message)).toEqual([
      expect.stringContaining('drop (delete: no longer in the release)'),
      expect.stringContaining('drop (delete: no longer in the release)'),
    ]);
  }, 90_000);

  it('retires an environment taken out of slipway.yaml: its services stop, it leaves the status, its history stays', async () => {
    const prodUrl = (await servicesOf('prod')).find((x) => x.service === 'keep')!.url!;
    writeFileSync(join(repo, 'slipway.yaml'), config(['keep'], ['dev']));
    await git(repo, 'commit', '-qam', 'no prod any more');
    await fetch(`${s.url}/api/projects/prune/poll`, { method: 'POST' });
    const removed = await waitFor('environment.removed', async () => (await s.events()).find((e) => e.kind === 'environment.removed'), 30_000, 200);
    expect(removed.message).toBe('prod was taken out of slipway.yaml: keep deleted from its local target');
    expect((await s.status()).projects[0]!.environments.map((e) => e.name)).toEqual(['dev']);
    await expect(fetch(prodUrl)).rejects.toThrow();
    expect((await s.get<{ items: unknown[] }>('/api/promotions?limit=100')).items.length).toBeGreaterThan(2);
  }, 60_000);
});
