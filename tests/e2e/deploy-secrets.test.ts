import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, freePort, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, allFiles, initRepo, killProcessesUnder } from './project-repo.js';

const server = "import http from 'node:http';\nhttp.createServer((q, r) => r.end(process.env[q.url.slice(1)] ?? '')).listen(Number(process.env.PORT), '127.0.0.1');\n";
const config = [
  'project: vault',
  'services:',
  '  api:',
  '    path: api',
  '    command: node server.mjs',
  '    health: { path: /health }',
  '    env:',
  '      DB_PASSWORD: ${{ secrets.DB_PASSWORD }}',
  'environments:',
  '  dev: {}',
  '',
].join('\n');

/** `${{ secrets.X }}` in a service's env: set into the process at deploy time, shown nowhere, and a new value redeploys. */
describe('secrets in service env', () => {
  const dir = tempDir('deploy-secrets');
  const repo = join(dir.path, 'repo');
  const dataDir = join(dir.path, 'data');
  const first = 'first-s3cr3t-value-9d1';
  const second = 'second-s3cr3t-value-4e7';
  let s: ServerProcess;
  const dev = async () => (await s.status()).projects[0]?.environments.find((e) => e.name === 'dev');
  const read = async (name: string) => (await fetch(`${(await dev())!.services[0]!.url}/${name}`)).text();

  beforeAll(async () => {
    // /health answers 200 with an empty body (no such variable): the service is healthy.
    await initRepo(repo, { 'slipway.yaml': config, 'api/server.mjs': server });
    s = await startSlipway(['server', '--data-dir', dataDir], { port: await freePort() });
    await addProject(s, repo, 'vault');
  });

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('refuses to deploy while the secret is not set, and says which', async () => {
    const failed = await waitFor('deployment.failed', async () => (await s.events()).find((e) => e.kind === 'deployment.failed'), 30_000, 100);
    expect(failed.message).toBe('v1 cannot deploy to dev: secret DB_PASSWORD is not set');
    expect(failed.data.code).toBe('SLW_SECRET_MISSING');
  });

  it('sets it into the process once set, and redeploys when it changes; the value shows nowhere', async () => {
    expect((await cli(['secrets', 'set', 'DB_PASSWORD', '--project', 'vault', '--value', first, '--server', s.url])).code).toBe(0);
    await waitFor('the api with the secret', async () => (await dev())?.health === 'healthy' && (await read('DB_PASSWORD').catch(() => '')) === first, 30_000, 200);
    expect((await cli(['secrets', 'set', 'DB_PASSWORD', '--project', 'vault', '--value', second, '--server', s.url])).code).toBe(0);
    await waitFor('the api with the new value', async () => (await read('DB_PASSWORD').catch(() => '')) === second, 30_000, 200);
    const shown = [JSON.stringify(await s.events()), JSON.stringify(await s.status()), (await cli(['diff', 'dev', '--json', '--server', s.url])).stdout, s.output(), ...allFiles(dataDir).map((f) => f.text)].join('\n');
    for (const value of [first, second, Buffer.from(first).toString('base64')]) expect(shown).not.toContain(value);
  }, 90_000);
});
