import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Rollout } from '@slipway/core';
import { hasBinary, serviceUnavailable } from '@slipway/testkit';
import { cli, freePort, git, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

const noPrometheus = serviceUnavailable('prometheus', () => (hasBinary('prometheus') ? undefined : 'prometheus is not installed (apt-get install prometheus)'));

/**
 * The canary judged by a real Prometheus. How the metrics reach it: Slipway's /metrics exports the built-in proxy's
 * counters per version (`slipway_proxy_requests_total{version, code_class}`); a Prometheus started here scrapes it every
 * second (job `slipway`), and the analysis asks for the canary's share of 5xx over the interval. A second job scrapes a
 * port where nothing listens (`slipway-down`): queries on it come back empty, which is "no data".
 */
describe.skipIf(noPrometheus)('canary with Prometheus as the metric source', () => {
  const dir = tempDir('canary-prom');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let prometheus: ChildProcess;
  let promUrl = '';
  let projectId = '';
  let version = 0;
  const rollouts = async () => (await s.get<{ items: Rollout[] }>('/api/rollouts')).items;
  let stopLoad = () => {};
  const errorShare = (job: string) =>
    `sum(rate(slipway_proxy_requests_total{job="${job}",environment="staging",service="api",version="{{ version }}",code_class="5xx"}[{{ interval }}])) / sum(rate(slipway_proxy_requests_total{job="${job}",environment="staging",service="api",version="{{ version }}"}[{{ interval }}]))`;

  /** A new api release: a version bump, FAIL_RATE as given, and the staging canary's analysis. */
  const release = async (failRate: string | null, analysis: string) => {
    version++;
    writeFileSync(join(repo, 'services/api/src/version.mjs'), `export const VERSION = '2.0.${version}';\n`);
    let yaml = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace(/ {4}env:\n {6}FAIL_RATE: "[^"]*"\n/, '');
    if (failRate) yaml = yaml.replace('    health:\n      path: /healthz\n', `    health:\n      path: /healthz\n    env:\n      FAIL_RATE: "${failRate}"\n`);
    yaml = yaml.replace(/analysis: \[[a-z-]+\]/, `analysis: [${analysis}]`);
    writeFileSync(join(repo, 'slipway.yaml'), yaml);
    await git(repo, 'commit', '-qam', `api 2.0.${version}: ${analysis}`);
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
  };
  const ended = (phases: Rollout['phase'][], count: number) => waitFor(`rollout #${count} to end as ${phases.join(' or ')}`, async () => {
    const list = await rollouts();
    return list.length >= count && phases.includes(list[0]!.phase) ? list[0] : undefined;
  }, 120_000, 200);

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    const promPort = await freePort();
    const deadPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(join(dir.path, 'prom.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: slipway\n    static_configs: [{ targets: ['${new URL(s.url).host}'] }]\n  - job_name: slipway-down\n    static_configs: [{ targets: ['127.0.0.1:${deadPort}'] }]\n`);
    prometheus = spawn('prometheus', [`--config.file=${join(dir.path, 'prom.yml')}`, `--web.listen-address=127.0.0.1:${promPort}`, `--storage.tsdb.path=${join(dir.path, 'promdata')}`], { stdio: 'ignore' });
    await waitFor('Prometheus to answer', async () => (await fetch(`${promUrl}/api/v1/query?query=up`).catch(() => undefined))?.ok, 30_000, 200);
    let config = readFileSync(join(repo, 'slipway.yaml'), 'utf8');
    config = config.replace('  dev: {}\n  staging: {}\n', '  dev: {}\n  staging:\n    strategy:\n      type: canary\n      steps: [10, 50, 100]\n      analysis: [prom-errors]\n');
    // The same query and threshold thrice: on the scraped server, and on the dead target with each no-data policy.
    const template = (name: string, job: string, noData?: string) =>
      [`  ${name}:`, '    source: prometheus', `    url: ${promUrl}`, `    query: '${errorShare(job)}'`, '    max: 0.05', '    interval: 5s', ...(noData ? [`    noData: ${noData}`] : [])].join('\n');
    config += ['', 'analysis:', template('prom-errors', 'slipway'), template('down-inconclusive', 'slipway-down', 'inconclusive'), template('down-fail', 'slipway-down', 'fail'), ''].join('\n');
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    projectId = (await addProject(s, repo, 'demo')).id;
    const staging = await waitFor('v1 healthy in staging', async () => {
      const env = (await s.status()).projects[0]!.environments.find((e) => e.name === 'staging');
      return env?.health === 'healthy' && env.services.length === 3 ? env : undefined;
    }, 120_000, 250);
    // Steady traffic to staging's api, loopback only, bounded in time.
    const url = `${staging.services.find((x) => x.service === 'api')!.url}/api/greeting`;
    let running = true;
    stopLoad = () => void (running = false);
    void (async () => {
      const end = Date.now() + 240_000;
      while (running && Date.now() < end) {
        await fetch(url).then((r) => r.body?.cancel(), () => {});
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
  }, 180_000);

  afterAll(async () => {
    stopLoad();
    prometheus?.kill();
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('aborts a release failing 30 % of requests at its first step, as Prometheus measures it', async () => {
    onTestFailed(async () => console.error(JSON.stringify((await rollouts())[0], null, 1)));
    await release('0.3', 'prom-errors');
    const r = await ended(['aborted'], 1);
    expect(r).toMatchObject({ stepIndex: 0, weight: 10 });
    expect(r.measurements.at(-1)).toMatchObject({ metric: 'prom-errors', phase: 'failed', threshold: '≤ 0.05' });
    expect(r.measurements.at(-1)!.value).toBeGreaterThan(0.2);
    expect(Date.parse(r.finishedAt!) - Date.parse(r.createdAt)).toBeLessThanOrEqual(15_000);
  }, 180_000);

  it('passes a healthy release, as Prometheus measures it', async () => {
    await release(null, 'prom-errors');
    const r = await ended(['succeeded'], 2);
    expect([...new Set(r.measurements.map((m) => `${m.step}:${m.phase}`))]).toEqual(['0:successful', '1:successful']);
    expect(r.measurements.every((m) => m.value !== null && m.value <= 0.05)).toBe(true);
  }, 180_000);

  it('pauses with the reason when Prometheus has no data and the policy is inconclusive', async () => {
    await release(null, 'down-inconclusive');
    const r = await ended(['paused'], 3);
    expect(r.reason).toMatch(/down-inconclusive is inconclusive: no data: the query returned no value/);
    const listed = await cli(['rollouts', '--server', s.url]);
    expect(listed.stdout).toMatch(/paused/);
    expect((await cli(['abort', 'staging', '--server', s.url])).code).toBe(0);
    expect((await rollouts())[0]).toMatchObject({ phase: 'aborted', reason: 'aborted by local' });
  }, 180_000);

  it('aborts when Prometheus has no data and the policy is fail', async () => {
    await release(null, 'down-fail');
    const r = await ended(['aborted'], 4);
    expect(r.reason).toMatch(/down-fail failed: no data: the query returned no value/);
  }, 180_000);
});
