import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Rollout } from '@slipway/core';
import { cli, git, tempDir, waitFor, type ServerProcess } from './harness.js';
import { killProcessesUnder, startDemoProject } from './project-repo.js';

/**
 * Blue-green on the demo's staging, under a steady 100 req/s from the test (open loop, loopback, bounded): the new
 * version is previewed by header, switched to by hand, and switched back (abort) while the old one is still warm.
 * Each switch takes 1 s or less and no request fails.
 */
describe('blue-green on the demo', () => {
  const dir = tempDir('blue-green');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let projectId = '';
  const answers: { sent: number; done: number; status: number; version: string }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const rollouts = async () => (await s.get<{ items: Rollout[] }>('/api/rollouts')).items;

  beforeAll(async () => {
    ({ s, projectId } = await startDemoProject(dir.path, (yaml) => {
      const config = yaml.replace('  dev: {}\n  staging: {}\n', '  dev: {}\n  staging:\n    strategy:\n      type: blue-green\n      autoPromote: false\n      scaleDownDelay: 60s\n      header: { name: x-preview, value: "1" }\n');
      expect(config).toContain('blue-green');
      return config;
    }));
  }, 60_000);

  afterAll(async () => {
    clearInterval(timer);
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('previews by header, switches and switches back within 1 s each, with no failed request at 100 req/s', async () => {
    onTestFailed(async () => console.error(JSON.stringify((await rollouts())[0] ?? null, null, 1)));
    const staging = await waitFor('v1 healthy in staging', async () => {
      const env = (await s.status()).projects[0]!.environments.find((e) => e.name === 'staging');
      return env?.health === 'healthy' && env.services.length === 3 ? env : undefined;
    }, 120_000, 250);
    const url = `${staging.services.find((x) => x.service === 'api')!.url}/api/greeting`;
    // Open loop: a request every 10 ms, whatever the previous ones do; at most 90 s.
    const end = Date.now() + 90_000;
    timer = setInterval(() => {
      if (Date.now() > end) return clearInterval(timer);
      const sent = Date.now();
      fetch(url).then(
        async (r) => answers.push({ sent, done: Date.now(), status: r.status, version: ((await r.json()) as { version?: string }).version ?? '?' }),
        () => answers.push({ sent, done: Date.now(), status: 0, version: 'unreachable' }),
      );
    }, 10);

    writeFileSync(join(repo, 'services/api/src/version.mjs'), "export const VERSION = '1.1.0';\n");
    await git(repo, 'commit', '-qam', 'api 1.1.0');
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
    const preview = await waitFor('the preview, paused for a person', async () => (await rollouts()).find((r) => r.strategy === 'blue-green' && r.phase === 'paused'), 120_000, 200);
    expect(preview).toMatchObject({ service: 'api', weight: 0, stepIndex: 0, reason: expect.stringContaining('slipway promote') });
    expect(((await (await fetch(url, { headers: { 'x-preview': '1' } })).json()) as { version: string }).version).toBe('1.1.0');
    expect(((await (await fetch(url)).json()) as { version: string }).version).toBe('1.0.0');

    const switchAt = Date.now();
    const switched = await fetch(`${s.url}/api/rollouts/${preview.id}/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(switched.status).toBe(200);
    const switchedAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    // Done when the API has answered and no later request reached the old version.
    const lastOld = Math.max(...answers.filter((a) => a.sent >= switchAt && a.version === '1.0.0').map((a) => a.sent), switchedAt);
    const switchMs = lastOld - switchAt;
    expect(answers.filter((a) => a.sent >= lastOld + 1 && a.sent < Date.now() - 500).every((a) => a.version === '1.1.0')).toBe(true);
    expect(switchMs).toBeLessThanOrEqual(1000);

    const backAt = Date.now();
    expect((await fetch(`${s.url}/api/rollouts/${preview.id}/abort`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    const backedAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    const lastNew = Math.max(...answers.filter((a) => a.sent >= backAt && a.version === '1.1.0').map((a) => a.sent), backedAt);
    const backMs = lastNew - backAt;
    expect(answers.filter((a) => a.sent >= lastNew + 1 && a.sent < Date.now() - 500).every((a) => a.version === '1.0.0')).toBe(true);
    expect(backMs).toBeLessThanOrEqual(1000);
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 500));

    const during = answers.filter((a) => a.sent >= switchAt - 1000);
    expect(during.length).toBeGreaterThan(300);
    expect(during.filter((a) => a.status !== 200)).toEqual([]);
    expect((await rollouts())[0]).toMatchObject({ phase: 'aborted', reason: 'aborted by local' });
    const rate = during.length / ((Math.max(...during.map((a) => a.sent)) - Math.min(...during.map((a) => a.sent))) / 1000);
    console.log(`blue-green: switch ${switchMs} ms, switch back ${backMs} ms, ${during.length} requests at ${rate.toFixed(0)} req/s, ${during.filter((a) => a.status !== 200).length} failed`);
    const list = await cli(['rollouts', '--json', '--server', s.url]);
    expect((JSON.parse(list.stdout) as Rollout[])[0]!.strategy).toBe('blue-green');
  }, 240_000);
});
