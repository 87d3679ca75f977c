import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentStatus, SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

/** A service that is unhealthy in the environment named in fail-in.txt, and tells its pid (to be stopped by hand). */
const server = [
  "import http from 'node:http';",
  "import { readFileSync } from 'node:fs';",
  "const failIn = readFileSync(new URL('./fail-in.txt', import.meta.url), 'utf8').trim();",
  'http.createServer((q, r) => {',
  "  if (q.url === '/healthz' && failIn === process.env.ENV_NAME) { r.statusCode = 500; return r.end('failing on purpose'); }",
  '  r.end(String(process.pid));',
  "}).listen(Number(process.env.PORT), '127.0.0.1');",
  '',
].join('\n');

const config = [
  'project: envs',
  'services:',
  '  api:',
  '    path: api',
  '    command: node server.mjs',
  '    health:',
  '      timeoutSeconds: 3',
  'environments:',
  ...['dev', 'staging', 'prod'].flatMap((env) => [`  ${env}:`, '    overrides:', '      api:', `        env: { ENV_NAME: ${env} }`, ...(env === 'staging' ? ['    policy:', '      selfHeal: false'] : [])]),
  '',
].join('\n');

/** Three environments on the local target: automatic rollback and hold, drift healed or only reported. */
describe('environments: rollback with a hold, and drift', () => {
  const dir = tempDir('environments');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;

  const envs = async () => (await s.status()).projects[0]!.environments;
  const env = async (name: string) => (await envs()).find((e) => e.name === name)!;
  const events = () => s.events();
  const commit = async (failIn: string) => {
    writeFileSync(join(repo, 'api/fail-in.txt'), `${failIn}\n`);
    await git(repo, 'commit', '-qam', `fail in ${failIn}`);
    await fetch(`${s.url}/api/projects/envs/poll`, { method: 'POST' });
    return git(repo, 'rev-parse', 'HEAD');
  };
  const versionOf = (e: EnvironmentStatus) => e.desiredRelease?.version;
  const healthyEverywhere = (version: number) =>
    waitFor(`v${version} healthy in dev, staging and prod`, async () => {
      const all = await envs();
      return all.every((e) => versionOf(e) === version && e.health === 'healthy' && e.services[0]?.releaseVersion === version) ? all : undefined;
    }, 60_000, 200);
  const pidIn = async (name: string) => Number(await (await fetch((await env(name)).services[0]!.url!)).text());

  beforeAll(async () => {
    await initRepo(repo, { 'slipway.yaml': config, 'api/server.mjs': server, 'api/fail-in.txt': 'none\n' });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    await addProject(s, repo, 'envs');
    await healthyEverywhere(1);
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('rolls a release that fails health in staging back there, holds it, never promotes it to prod; a newer good one clears the hold', async () => {
    await commit('staging');
    const rolledBack = await waitFor('the rollback in staging', async () => (await events()).find((e) => e.kind === 'deployment.rolled-back'), 60_000, 200);
    expect(rolledBack).toMatchObject({ data: { environment: 'staging', version: 2, toVersion: 1 } });
    const staging = await waitFor('staging back on v1 and healthy', async () => {
      const e = await env('staging');
      return versionOf(e) === 1 && e.health === 'healthy' ? e : undefined;
    }, 30_000, 200);
    expect(staging.hold).toMatch(/^v2 failed in staging: .*Rolled back to v1/);
    expect(versionOf(await env('dev'))).toBe(2);
    expect(versionOf(await env('prod'))).toBe(1);
    const text = await cli(['status', '--server', s.url]);
    expect(text.stdout).toMatch(/staging .*\n\s+hold: v2 failed in staging/);
    // v2 never reaches prod, not even asked for.
    const all = await events();
    expect(all.some((e) => e.kind === 'promotion.created' && e.data.environment === 'prod' && e.data.version === 2)).toBe(false);

    // Not "none" again: the same files would be v1's revision, which staging and prod already run.
    await commit('nowhere');
    const everywhere = await healthyEverywhere(3);
    expect(everywhere.find((e) => e.name === 'staging')?.hold).toBeNull();
  }, 120_000);

  it('diffs an environment: in sync with its own release, and field by field against another', async () => {
    const same = await cli(['diff', 'prod', '--server', s.url]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('prod: desired v3 against what runs — in sync');
    expect(same.stdout).toMatch(/= api\s+live v3 healthy\s+→\s+desired v3/);
    const other = JSON.parse((await cli(['diff', 'prod', '--release', 'v2', '--json', '--server', s.url])).stdout) as { inSync: boolean; services: { service: string; sync: string; live: { releaseVersion: number }; desired: { releaseVersion: number }; fields: { field: string }[] }[] };
    expect(other.inSync).toBe(false);
    expect(other.services).toEqual([expect.objectContaining({ service: 'api', sync: 'out-of-sync', live: expect.objectContaining({ releaseVersion: 3 }), desired: expect.objectContaining({ releaseVersion: 2 }), fields: [expect.objectContaining({ field: 'revision' })] })]);
    const text = await cli(['diff', 'prod', '--release', 'v2', '--server', s.url]);
    expect(text.stdout).toMatch(/~ api\s+live v3 healthy\s+→\s+desired v2\n\s+revision: \w+ → \w+/);
  });

  it('rolls prod back by hand to a named release with the CLI, and holds it there until a newer release passes', async () => {
    const rolled = await cli(['rollback', 'prod', '--to', 'v1', '--server', s.url]);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain('rolling back prod to v1');
    const prod = await waitFor('prod on v1', async () => {
      const e = await env('prod');
      return versionOf(e) === 1 && e.health === 'healthy' && e.services[0]?.releaseVersion === 1 ? e : undefined;
    }, 30_000, 200);
    expect(prod.hold).toBe('rolled back by hand from v3 to v1; auto-promotion resumes with a newer release');
    expect((await cli(['rollback', 'prod', '--to', 'v1', '--server', s.url])).stderr).toContain('prod already runs v1');
    await commit('elsewhere');
    expect((await healthyEverywhere(4)).find((e) => e.name === 'prod')?.hold).toBeNull();
  }, 90_000);

  it('heals a service stopped by hand where self-heal is on, within 10 s', async () => {
    const pid = await pidIn('dev');
    const stopped = Date.now();
    process.kill(pid, 'SIGKILL');
    const detected = await waitFor('drift.detected in dev', async () => (await events()).find((e: SlipwayEvent) => e.kind === 'drift.detected' && e.data.environment === 'dev' && Date.parse(e.ts) >= stopped - 1000), 10_000, 100);
    expect(Date.parse(detected.ts) - stopped).toBeLessThan(10_000);
    await waitFor('a new, healthy api in dev', async () => (await env('dev')).health === 'healthy' && (await pidIn('dev').catch(() => pid)) !== pid, 30_000, 200);
  }, 60_000);

  it('only reports a service stopped by hand where self-heal is off, within 10 s', async () => {
    const pid = await pidIn('staging');
    const stopped = Date.now();
    process.kill(pid, 'SIGKILL');
    const reported = await waitFor('staging out of sync', async () => {
      const e = await env('staging');
      return e.sync === 'out-of-sync' ? e : undefined;
    }, 10_000, 100);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(reported.services[0]).toMatchObject({ health: 'missing', sync: 'out-of-sync' });
    expect(reported.services[0]!.message).toContain('self-heal is off');
    const drift = (await events()).filter((e) => e.kind === 'drift.detected' && e.data.environment === 'staging');
    expect(drift).toHaveLength(1);
    expect(drift[0]!.data.healing).toBe(false);
    // Nothing heals it: still missing a few reconciles later.
    await new Promise((r) => setTimeout(r, 6_000));
    expect((await env('staging')).services[0]).toMatchObject({ health: 'missing' });
    expect((await events()).filter((e) => e.kind === 'drift.detected' && e.data.environment === 'staging')).toHaveLength(1);
  }, 60_000);

  it('holds a promotion outside its deploy window and deploys it when the window opens (real time)', async () => {
    // A window of one minute, at least 25 s from now (the commit reaches prod's gates in a few seconds): prod must wait.
    const opens = new Date(Math.ceil((Date.now() + 25_000) / 60_000) * 60_000);
    const withWindow = config.replace('  prod:\n    overrides:', `  prod:\n    policy:\n      windows: ['${opens.getUTCMinutes()} ${opens.getUTCHours()} * * *']\n    overrides:`);
    expect(withWindow).toContain('windows:');
    writeFileSync(join(repo, 'slipway.yaml'), withWindow);
    await commit('window');
    const waiting = await waitFor('prod waiting for its window', async () => (await env('prod')).waiting[0], 60_000, 200);
    expect(waiting.waitingOn).toEqual([expect.objectContaining({ gate: 'window', passed: false, retryAt: opens.toISOString() })]);
    expect(Date.now()).toBeLessThan(opens.getTime());
    const deployed = await waitFor('prod deploys in the window', async () => (await events()).find((e) => e.kind === 'deployment.started' && e.data.environment === 'prod' && e.data.version === 5), 150_000, 500);
    expect(Date.parse(deployed.ts)).toBeGreaterThanOrEqual(opens.getTime());
    expect(Date.parse(deployed.ts)).toBeLessThan(opens.getTime() + 10_000);
  }, 200_000);
});
