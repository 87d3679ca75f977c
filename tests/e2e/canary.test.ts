import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Rollout, SlipwayEvent } from '@slipway/core';
import { cli, git, tempDir, waitFor, type ServerProcess } from './harness.js';
import { launchChromium, noChromium, screenshots } from './browser.js';
import { killProcessesUnder, startDemoProject } from './project-repo.js';

/**
 * The demo's canary in staging (10 % → 50 % → 100 %, 5 s interval, the built-in proxy's success rate), with steady test
 * traffic on loopback: a commit that makes the api fail 30 % of its requests (FAIL_RATE) is aborted at its first step,
 * and a healthy commit passes every step.
 */
describe('canary on the demo, judged by the built-in proxy', () => {
  const dir = tempDir('canary');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let projectId = '';
  const envs = async () => (await s.status()).projects[0]!.environments;
  const rollouts = async () => (await s.get<{ items: Rollout[] }>('/api/rollouts')).items;
  const commit = async (message: string, edit: () => void) => {
    edit();
    await git(repo, 'commit', '-qam', message);
    expect((await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' })).ok).toBe(true);
  };

  /** Steady traffic to staging's api (sequential, ~40 req/s, loopback only), each answer kept with its time and version. */
  const answers: { at: number; status: number; version: string }[] = [];
  let stopLoad = () => {};
  const load = async (url: string) => {
    let running = true;
    stopLoad = () => void (running = false);
    const end = Date.now() + 120_000;
    while (running && Date.now() < end) {
      const at = Date.now();
      try {
        const res = await fetch(`${url}/api/greeting`);
        const body = (await res.json()) as { version?: string; error?: string };
        answers.push({ at, status: res.status, version: body.version ?? (res.status === 500 ? 'failing' : '?') });
      } catch {
        answers.push({ at, status: 0, version: 'unreachable' });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    ({ s, projectId } = await startDemoProject(dir.path, (yaml) => {
      const config = `${yaml.replace('  dev: {}\n  staging: {}\n', '  dev: {}\n  staging:\n    strategy:\n      type: canary\n      steps: [10, 50, 100]\n      analysis: [success-rate]\n')}\nanalysis:\n  success-rate:\n    successRate: 0.95\n    interval: 5s\n    noData: inconclusive\n`;
      expect(config).toContain('type: canary');
      return config;
    }));
  }, 60_000);

  afterAll(async () => {
    stopLoad();
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('aborts a release that fails 30 % of requests at its first step, within 15 s, the bad version getting ≤ 10 % of requests', async () => {
    onTestFailed(async () => {
      console.error(`server output (tail):\n${s.output().slice(-3000)}`);
      console.error((await s.events()).slice(-40).map((e) => `${e.kind} ${e.message}`).join('\n'));
      console.error(JSON.stringify(await rollouts(), null, 1).slice(0, 3000));
    });
    const staging = await waitFor('v1 healthy in staging', async () => {
      const env = (await envs()).find((e) => e.name === 'staging');
      return env?.health === 'healthy' && env.services.length === 3 && env.desiredRelease?.version === 1 ? env : undefined;
    }, 120_000, 250);
    const api = staging.services.find((x) => x.service === 'api')!.url!;
    void load(api);
    await commit('api: a bad release', () => {
      writeFileSync(join(repo, 'services/api/src/version.mjs'), "export const VERSION = '1.0.1-bad';\n");
      const yaml = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('    health:\n      path: /healthz\n', '    health:\n      path: /healthz\n    env:\n      FAIL_RATE: "0.3"\n');
      writeFileSync(join(repo, 'slipway.yaml'), yaml);
    });
    const aborted = await waitFor('the canary aborted', async () => (await rollouts()).find((r) => r.phase === 'aborted'), 120_000, 200);
    await waitFor('rollout.aborted', async () => (await s.events()).some((e) => e.kind === 'rollout.aborted'), 10_000, 100);
    const events = await s.events();
    const started = events.find((e: SlipwayEvent) => e.kind === 'rollout.started' && e.data.rolloutId === aborted.id)!;
    const ended = events.find((e: SlipwayEvent) => e.kind === 'rollout.aborted' && e.data.rolloutId === aborted.id)!;
    const tookMs = Date.parse(ended.ts) - Date.parse(started.ts);
    // Aborted at its first step, 10 %.
    expect(aborted).toMatchObject({ service: 'api', stepIndex: 0, weight: 10, steps: [10, 50, 100] });
    expect(aborted.measurements.at(-1)).toMatchObject({ metric: 'success-rate', phase: 'failed', step: 0 });
    expect(aborted.reason).toMatch(/success-rate failed: success rate 7\d\.\d %/);
    expect(tookMs).toBeLessThanOrEqual(15_000);
    // Every request the proxy passed while the bad version took traffic (the test's, and the demo worker's calls to the
    // api), counted by the proxy: the abort says how many the bad version served.
    const served = ended.data.served as { canary: number; total: number };
    expect(served.total).toBeGreaterThan(50);
    expect(served.canary / served.total).toBeLessThanOrEqual(0.1);
    // The test's own view agrees: its requests answered by the bad version all fell in the canary's life.
    const isBad = (a: { version: string }) => a.version === '1.0.1-bad' || a.version === 'failing';
    const bad = answers.filter(isBad);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((a) => a.at >= Date.parse(started.ts) - 1000 && a.at <= Date.parse(ended.ts))).toBe(true);
    // All traffic is back on stable: the next answers all come from v1.
    const after = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(answers.filter((a) => a.at > after).map((a) => a.version))).toEqual(new Set(['1.0.0']));
    const list = await envs();
    expect(list.find((e) => e.name === 'staging')).toMatchObject({ desiredRelease: { version: 1 } });
    expect(list.find((e) => e.name === 'prod')!.desiredRelease?.version ?? null).not.toBe(2);
    console.log(`canary aborted in ${tookMs} ms; the bad version served ${served.canary} of ${served.total} requests through the proxy (${((served.canary / served.total) * 100).toFixed(1)} %)`);
  }, 180_000);

  it.skipIf(noChromium)('shows the aborted canary, its measurements against the threshold and its controls, in Chromium', async () => {
    const { context, page } = await launchChromium(join(dir.path, 'chromium'));
    try {
      await page.goto(`${s.url}/#/rollouts`);
      const card = page.locator('[data-testid="rollout"][data-phase="aborted"][data-service="api"]');
      await card.waitFor();
      expect(await card.locator('[data-testid="rollout-weight"]').textContent()).toBe('10 %');
      await card.locator('[data-testid="metric-chart"][data-metric="success-rate"] circle').first().waitFor();
      expect(await card.textContent()).toMatch(/needs ≥ 0.95/);
      await page.screenshot({ path: join(screenshots, 'canary-aborted.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('passes a healthy release through 10 % → 50 % → 100 %', async () => {
    onTestFailed(() => console.error(`server output (tail):\n${s.output().slice(-3000)}`));
    await commit('api: a healthy release', () => {
      writeFileSync(join(repo, 'services/api/src/version.mjs'), "export const VERSION = '1.0.2';\n");
      const yaml = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('    env:\n      FAIL_RATE: "0.3"\n', '');
      writeFileSync(join(repo, 'slipway.yaml'), yaml);
    });
    const done = await waitFor('the healthy canary promoted', async () => (await rollouts()).find((r) => r.phase === 'succeeded'), 120_000, 200);
    expect(done).toMatchObject({ service: 'api', weight: 100 });
    expect([...new Set(done.measurements.map((m) => `${m.step}:${m.weight}:${m.phase}`))]).toEqual(['0:10:successful', '1:50:successful']);
    const staging = await waitFor('v3 healthy in staging', async () => {
      const env = (await envs()).find((e) => e.name === 'staging');
      return env?.health === 'healthy' && env.desiredRelease?.version === 3 && env.services.every((x) => x.health === 'healthy') ? env : undefined;
    }, 60_000, 250);
    expect(staging.services.find((x) => x.service === 'api')).toBeDefined();
    const after = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    expect(new Set(answers.filter((a) => a.at > after).map((a) => a.version))).toEqual(new Set(['1.0.2']));
    stopLoad();
    expect(answers.filter((a) => a.status === 0)).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    const list = await cli(['rollouts', '--server', s.url]);
    expect(list.code, list.stderr).toBe(0);
  }, 180_000);
  it('is driven by hand with promote, pause, resume and promote --full, judged by the judge and an HTTP check', async () => {
    onTestFailed(async () => console.error(JSON.stringify((await rollouts())[0], null, 1)));
    const staging = (await envs()).find((e) => e.name === 'staging')!;
    void load(staging.services.find((x) => x.service === 'api')!.url!);
    await commit('api 1.0.3, by hand, with the judge', () => {
      writeFileSync(join(repo, 'services/api/src/version.mjs'), "export const VERSION = '1.0.3';\n");
      let yaml = readFileSync(join(repo, 'slipway.yaml'), 'utf8');
      yaml = yaml.replace('      analysis: [success-rate]\n', '      analysis: [judge, server-up]\n      autoPromote: false\n');
      // A lenient judge: the canary's latency alone (a fresh process) cannot fail it; its errors would.
      yaml += `  judge:\n    source: judge\n    pass: 50\n    marginal: 25\n    interval: 3s\n  server-up:\n    source: http\n    url: ${s.url}/healthz\n    interval: 3s\n`;
      writeFileSync(join(repo, 'slipway.yaml'), yaml);
    });
    const paused = async (why: RegExp, weight: number) =>
      waitFor(`paused at ${weight} %`, async () => {
        const [r] = await rollouts();
        return r && r.phase === 'paused' && r.weight === weight && why.test(r.reason ?? '') ? r : undefined;
      }, 60_000, 200);
    const first = await paused(/step 1 passed \(judge, server-up\); waiting for `slipway promote`/, 10);
    expect(first.measurements.find((m) => m.metric === 'judge')).toMatchObject({ phase: 'successful', threshold: 'pass ≥ 50, marginal ≥ 25' });
    expect(first.measurements.find((m) => m.metric === 'server-up')).toMatchObject({ phase: 'successful', value: 200, detail: expect.stringContaining('answered 200') });
    expect((await cli(['promote', 'staging', '--server', s.url])).stdout).toMatch(/api in staging: progressing at 50 %/);
    expect((await cli(['pause', 'staging', 'api', '--server', s.url])).stdout).toMatch(/paused at 50 % \(paused by local\)/);
    expect((await cli(['resume', 'staging', '--server', s.url])).stdout).toMatch(/progressing at 50 %/);
    await paused(/step 2 passed/, 50);
    const full = await cli(['promote', 'staging', '--full', '--json', '--server', s.url]);
    expect(JSON.parse(full.stdout)).toMatchObject({ phase: 'succeeded', weight: 100, reason: 'promoted by local' });
    await waitFor('v4 healthy in staging', async () => {
      const env = (await envs()).find((e) => e.name === 'staging');
      return env?.desiredRelease?.version === 4 && env.health === 'healthy' ? env : undefined;
    }, 60_000, 250);
    const none = await cli(['abort', 'staging', '--server', s.url]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no rollout is under way in staging/);
    stopLoad();
  }, 180_000);
});
