import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';
import { testCluster } from '../../drivers/kubernetes/src/test-cluster.js';

const cluster = testCluster();

/**
 * The demo on the Kubernetes target, through the server as a user runs it: slipway.yaml puts `dev` in namespace
 * `dev` of the test cluster (the server's KUBECONFIG). A real kube-apiserver with its controllers; kwok simulates
 * the nodes and pods, so the Deployments become Available, but no container runs.
 */
describe.skipIf(!cluster)('the demo on the Kubernetes target', () => {
  const dir = tempDir('kubernetes-target');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  const kubectl = (...args: string[]) => execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', 'dev', ...args], { encoding: 'utf8' });
  const dev = async () => (await s.status()).projects[0]!.environments.find((e) => e.name === 'dev')!;

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    const config = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('  dev: {}\n  staging: {}\n  prod:\n    policy:\n      approvals: 1\n', '  dev:\n    target: { type: kubernetes, namespace: dev }\n');
    expect(config).toContain('type: kubernetes');
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { KUBECONFIG: cluster!.kubeconfig } });
    await addProject(s, repo, 'demo');
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
    if (cluster) execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'delete', 'namespace', 'dev', '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
    dir.remove();
  });

  it('deploys the demo to namespace dev: its Deployments become Available, and the diff is empty right after sync', async () => {
    const env = await waitFor('dev healthy with three services', async () => {
      const e = await dev();
      return e.health === 'healthy' && e.services.length === 3 && e.services.every((x) => x.health === 'healthy') ? e : undefined;
    }, 90_000, 250);
    expect(env.target).toBe('kubernetes');
    const deployments = JSON.parse(kubectl('get', 'deployments', '-o', 'json')) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[] };
    expect(deployments.items.map((d) => d.metadata.name).sort()).toEqual(['api', 'web', 'worker']);
    for (const d of deployments.items) expect(d.status.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
    // web reaches api by its Service name in the namespace.
    expect(Buffer.from(kubectl('get', 'secret', 'web-env', '-o', 'jsonpath={.data.API_URL}'), 'base64').toString()).toBe('http://api:80');
    const diff = await cli(['diff', 'dev', '--server', s.url, '--json']);
    expect(diff.code).toBe(0);
    const parsed = JSON.parse(diff.stdout) as { inSync: boolean; services: { service: string; sync: string }[] };
    expect(parsed.inSync).toBe(true);
    expect(parsed.services.map((x) => x.sync)).toEqual(['synced', 'synced', 'synced']);
  }, 120_000);

  it('detects `kubectl scale` within 5 s and heals it, recording the drift', async () => {
    const changed = Date.now();
    kubectl('scale', 'deployment', 'api', '--replicas=3');
    const drift = await waitFor('drift.detected for dev', async () => (await s.events()).find((e: SlipwayEvent) => e.kind === 'drift.detected' && e.data.environment === 'dev' && Date.parse(e.ts) >= changed - 500), 5_000, 50);
    expect(Date.parse(drift.ts) - changed).toBeLessThan(5_000);
    expect(drift.message).toContain('spec.replicas: 3 (want 1)');
    await waitFor('api back to 1 replica', async () => kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.spec.replicas}') === '1', 10_000, 100);
    await waitFor('dev healthy again', async () => (await dev()).health === 'healthy', 15_000, 200);
  }, 30_000);

  it('prunes a service taken out of slipway.yaml', async () => {
    const config = readFileSync(join(repo, 'slipway.yaml'), 'utf8');
    const start = config.indexOf('  worker:\n');
    const end = config.indexOf('\n\n', start);
    writeFileSync(join(repo, 'slipway.yaml'), config.slice(0, start) + config.slice(end + 2));
    await git(repo, 'commit', '-qam', 'no worker');
    await fetch(`${s.url}/api/projects/demo/poll`, { method: 'POST' });
    await waitFor('worker pruned from dev', async () => (await dev()).services.map((x) => x.service).sort().join() === 'api,web', 60_000, 250);
    await waitFor('no worker objects left in the namespace', async () => kubectl('get', 'deployment,service,secret,configmap', '-l', 'slipway.dev/service=worker', '-o', 'name').trim() === '', 15_000, 200);
    expect(kubectl('get', 'deployments', '-o', 'name').trim().split('\n').sort()).toEqual(['deployment.apps/api', 'deployment.apps/web']);
  }, 90_000);
});
