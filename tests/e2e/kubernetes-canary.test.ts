import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rollout } from '@slipway/core';
import { hasBinary, serviceUnavailable } from '@slipway/testkit';
import { freePort, git, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';
import { testCluster } from '../../drivers/kubernetes/src/test-cluster.js';

const run = promisify(execFile);
const cluster = testCluster();
const noPrometheus = serviceUnavailable('prometheus', () => (hasBinary('prometheus') ? undefined : 'prometheus is not installed (apt-get install prometheus)'));

/**
 * A canary on the Kubernetes target, judged by a real Prometheus, aborts a bad release.
 *
 * How the metrics are fed: kwok simulates the pods, so no container runs and nothing serves requests. A stand-in
 * exporter in this test plays the pods' own /metrics: at each scrape it reads the namespace's api Deployments (stable
 * and canary) and, for each, the revision on its pod template and the FAIL_RATE in the env Secret it runs with (the
 * demo api's switch for failing that share of requests). It counts 20 requests a second per Deployment, FAIL_RATE of
 * them 5xx, as `http_requests_total{service, version, code}`. A real Prometheus scrapes it every second; the analysis
 * is the canary revision's 5xx share over the interval, as in a real cluster where the pods are scraped.
 */
describe.skipIf(!cluster || noPrometheus)('canary on Kubernetes with Prometheus analysis', () => {
  const dir = tempDir('kubernetes-canary');
  const repo = join(dir.path, 'repo');
  const namespace = `canary-${Date.now().toString(36)}`;
  let s: ServerProcess;
  let prometheus: ChildProcess;
  let exporter: Server;
  let projectId = '';
  const kubectl = async (...args: string[]) => (await run(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', namespace, ...args])).stdout;
  const rollouts = async () => (await s.get<{ items: Rollout[] }>('/api/rollouts')).items;
  const counters = new Map<string, { total: number; errors: number; at: number }>();

  /** The stand-in for the pods' /metrics: per api Deployment, its revision and FAIL_RATE, 20 requests a second. */
  const scrape = async () => {
    const list = JSON.parse(await kubectl('get', 'deployments,secrets', '-l', 'slipway.dev/service=api', '-o', 'json')) as { items: { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { envFrom: { secretRef: { name: string } }[] }[] } } } }[] };
    const secrets = new Map(list.items.filter((i) => i.kind === 'Secret').map((i) => [i.metadata.name, i.data ?? {}]));
    const lines = ['# TYPE http_requests_total counter'];
    for (const d of list.items.filter((i) => i.kind === 'Deployment')) {
      const version = d.spec!.template.metadata.annotations['slipway.dev/revision']!;
      const env = secrets.get(d.spec!.template.spec.containers[0]!.envFrom[0]!.secretRef.name) ?? {};
      const failRate = env.FAIL_RATE ? Number(Buffer.from(env.FAIL_RATE, 'base64').toString()) : 0;
      const c = counters.get(version) ?? { total: 0, errors: 0, at: Date.now() };
      const requests = Math.round(((Date.now() - c.at) / 1000) * 20);
      c.total += requests;
      c.errors += Math.round(requests * failRate);
      c.at = Date.now();
      counters.set(version, c);
      lines.push(`http_requests_total{service="api",version="${version}",code="200"} ${c.total - c.errors}`, `http_requests_total{service="api",version="${version}",code="500"} ${c.errors}`);
    }
    return `${lines.join('\n')}\n`;
  };

  const release = async (failRate: string | null, message: string) => {
    writeFileSync(join(repo, 'services/api/src/version.mjs'), `export const VERSION = '${message}';\n`);
    let yaml = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace(/ {4}env:\n {6}FAIL_RATE: "[^"]*"\n/, '');
    if (failRate) yaml = yaml.replace('    health:\n      path: /healthz\n', `    health:\n      path: /healthz\n    env:\n      FAIL_RATE: "${failRate}"\n`);
    writeFileSync(join(repo, 'slipway.yaml'), yaml);
    await git(repo, 'commit', '-qam', message);
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
  };

  beforeAll(async () => {
    exporter = createServer((_req, res) => void scrape().then((body) => res.end(body), (err: Error) => res.writeHead(500).end(err.message)));
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const exporterPort = (exporter.address() as { port: number }).port;
    const promPort = await freePort();
    const promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(join(dir.path, 'prom.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: pods\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`);
    prometheus = spawn('prometheus', [`--config.file=${join(dir.path, 'prom.yml')}`, `--web.listen-address=127.0.0.1:${promPort}`, `--storage.tsdb.path=${join(dir.path, 'promdata')}`], { stdio: 'ignore' });
    await waitFor('Prometheus to answer', async () => (await fetch(`${promUrl}/api/v1/query?query=up`).catch(() => undefined))?.ok, 30_000, 200);

    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    let config = readFileSync(join(repo, 'slipway.yaml'), 'utf8');
    config = config.replace('  dev: {}\n  staging: {}\n  prod:\n    policy:\n      approvals: 1\n', `  dev:\n    target: { type: kubernetes, namespace: ${namespace} }\n    strategy:\n      type: canary\n      steps: [50, 100]\n      analysis: [errors]\n`);
    const query = 'sum(rate(http_requests_total{service="api",version="{{ version }}",code=~"5.."}[{{ interval }}])) / sum(rate(http_requests_total{service="api",version="{{ version }}"}[{{ interval }}]))';
    config += ['', 'analysis:', '  errors:', '    source: prometheus', `    url: ${promUrl}`, `    query: '${query}'`, '    max: 0.05', '    interval: 4s', ''].join('\n');
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { KUBECONFIG: cluster!.kubeconfig } });
    projectId = (await addProject(s, repo, 'demo')).id;
    await waitFor('v1 healthy in dev', async () => {
      const env = (await s.status()).projects[0]!.environments.find((e) => e.name === 'dev');
      return env?.health === 'healthy' && env.services.length === 3 ? env : undefined;
    }, 90_000, 250);
  }, 150_000);

  afterAll(async () => {
    await s?.stop();
    prometheus?.kill();
    exporter?.close();
    if (cluster) await run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']).catch(() => {});
    dir.remove();
  });

  it('aborts a release whose canary fails 30 % of requests: the canary is removed and the stable Deployment keeps v1', async () => {
    const stable = (await kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).trim();
    await release('0.3', 'bad');
    const started = await waitFor('the canary Deployment', async () => (await kubectl('get', 'deployments', '-o', 'name')).includes('deployment.apps/api-canary'), 60_000, 200);
    expect(started).toBe(true);
    const aborted = await waitFor('the rollout aborted', async () => (await rollouts()).find((r) => r.phase === 'aborted' || r.phase === 'succeeded'), 90_000, 250);
    expect(aborted.phase).toBe('aborted');
    expect(aborted.weight).toBe(50);
    expect(aborted.reason).toMatch(/errors/);
    expect(aborted.measurements.at(-1)).toMatchObject({ metric: 'errors', phase: 'failed' });
    expect(aborted.measurements.at(-1)!.value).toBeGreaterThan(0.2);
    await waitFor('the canary removed', async () => !(await kubectl('get', 'deployments', '-o', 'name')).includes('api-canary'), 15_000, 200);
    expect((await kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).trim()).toBe(stable);
    expect((await kubectl('get', 'secrets', '-o', 'name')).includes('api-canary-env')).toBe(false);
  }, 150_000);

  it('promotes a healthy release: the stable Deployment takes the new revision and the canary goes', async () => {
    await release(null, 'good');
    const done = await waitFor('the second rollout ended', async () => {
      const list = await rollouts();
      return list.length >= 2 && ['aborted', 'succeeded'].includes(list[0]!.phase) ? list[0] : undefined;
    }, 120_000, 250);
    expect(done.phase).toBe('succeeded');
    await waitFor('the stable Deployment on the new revision', async () => (await kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).trim() === done.canaryRevision, 60_000, 250);
    await waitFor('the canary removed', async () => !(await kubectl('get', 'deployments', '-o', 'name')).includes('api-canary'), 30_000, 200);
    await waitFor('dev healthy', async () => (await s.status()).projects[0]!.environments.find((e) => e.name === 'dev')?.health === 'healthy', 30_000, 250);
  }, 180_000);
});
