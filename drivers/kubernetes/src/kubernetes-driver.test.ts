import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredService, DesiredState } from '@slipway/core';
import { createKubernetesDriver, type KubernetesDriver } from './driver.js';
import { testCluster } from './test-cluster.js';

const cluster = testCluster();

/**
 * The Kubernetes target against a real kube-apiserver with its controllers and kwok nodes (the dev cluster): pods
 * are simulated by kwok, so the Deployments become Available, but no container runs.
 */
describe.skipIf(!cluster)('Kubernetes target on a real API server', () => {
  let driver: KubernetesDriver;
  const run = Date.now().toString(36);
  const namespace = `dev-${run}`;
  const kubectl = (...args: string[]) => execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', namespace, ...args], { encoding: 'utf8' });
  const changes: string[] = [];

  const service = (name: string, extra: Partial<DesiredService> = {}): DesiredService => ({
    service: name,
    releaseId: 'rel_1',
    revision: `${name}-r1`,
    artifact: `/artifacts/${name}`,
    image: `127.0.0.1:5001/demo/${name}@sha256:${'0'.repeat(64)}`,
    command: 'node src/server.mjs',
    env: { API_URL: 'http://api:80' },
    port: 80,
    health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 },
    ...extra,
  });
  const demo = (env: string): DesiredState => ({ environment: env, services: [service('api'), service('web'), service('worker')] });
  const sync = async (desired: DesiredState) => {
    const plan = driver.plan(desired, await driver.observe(desired.environment, desired.services.map((s) => s.service)));
    return { plan, result: await driver.apply(plan, {}) };
  };
  const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(() => {
    driver = createKubernetesDriver({ targetOf: async (env) => ({ namespace, kubeconfig: readFileSync(cluster!.kubeconfig, 'utf8'), ...(env.endsWith('-hpa') ? {} : {}) }) });
    driver.onChange!((env) => changes.push(env));
  });
  afterAll(async () => {
    await driver?.close();
    if (cluster) execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'delete', 'namespace', namespace, '--wait=false'], { stdio: 'ignore' });
  });

  it('deploys the demo to its namespace: Deployments Available, then nothing to change', async () => {
    const { plan, result } = await sync(demo('env_dev'));
    expect(plan.actions.map((a) => [a.service, a.type])).toEqual([['api', 'create'], ['web', 'create'], ['worker', 'create']]);
    expect(result.results.map((r) => r.message)).toEqual([null, null, null]);
    expect(result.results.every((r) => r.ok)).toBe(true);
    const deployments = JSON.parse(kubectl('get', 'deployments', '-o', 'json', '--show-managed-fields')) as { items: { metadata: { name: string; managedFields: { manager: string; operation: string }[] }; status: { conditions: { type: string; status: string }[] } }[] };
    expect(deployments.items.map((d) => d.metadata.name).sort()).toEqual(['api', 'web', 'worker']);
    for (const d of deployments.items) {
      expect(d.status.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
      expect(d.metadata.managedFields.some((f) => f.manager === 'slipway' && f.operation === 'Apply')).toBe(true);
    }
    const observed = await driver.observe('env_dev', ['api', 'web', 'worker']);
    expect(observed.services.map((s) => [s.service, s.health, s.revision, s.message])).toEqual([
      ['api', 'healthy', 'api-r1', null],
      ['web', 'healthy', 'web-r1', null],
      ['worker', 'healthy', 'worker-r1', null],
    ]);
    expect(observed.services[0]!.instances).toHaveLength(1);
    // Right after the sync the diff is empty: server defaults (strategy, dnsPolicy, probes' thresholds…) are no drift.
    expect(driver.plan(demo('env_dev'), observed).actions.map((a) => a.type)).toEqual(['noop', 'noop', 'noop']);
    // The env values sit in a Secret, not in the Deployment.
    expect(kubectl('get', 'deployment', 'web', '-o', 'yaml')).not.toContain('http://api:80');
  });

  it('detects a managed field changed by hand (kubectl scale) from the watch, within 5 s, and heals it', async () => {
    changes.length = 0;
    const started = Date.now();
    kubectl('scale', 'deployment', 'api', '--replicas=3');
    await until(async () => changes.includes('env_dev'), 5_000);
    const seenMs = Date.now() - started;
    const observed = await driver.observe('env_dev', ['api', 'web', 'worker']);
    expect(observed.services[0]).toMatchObject({ health: 'degraded' });
    expect(observed.services[0]!.message).toContain('drifted: Deployment/api spec.replicas: 3 (want 1)');
    const plan = driver.plan(demo('env_dev'), observed);
    expect(plan.actions.map((a) => [a.service, a.type])).toEqual([['api', 'restart'], ['web', 'noop'], ['worker', 'noop']]);
    expect(plan.actions[0]!.reason).toContain('spec.replicas');
    expect((await driver.apply(plan, {})).results.every((r) => r.ok)).toBe(true);
    expect(kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.spec.replicas}')).toBe('1');
    expect(driver.plan(demo('env_dev'), await driver.observe('env_dev', ['api', 'web', 'worker'])).actions.map((a) => a.type)).toEqual(['noop', 'noop', 'noop']);
    expect(seenMs).toBeLessThan(5_000);
  });

  it('detects an edit of the pod template and an object deleted by hand', async () => {
    kubectl('set', 'image', 'deployment/web', 'app=127.0.0.1:5001/evil:1');
    await until(async () => (await driver.observe('env_dev', ['web'])).services[0]!.health === 'degraded', 5_000);
    expect((await driver.observe('env_dev', ['web'])).services[0]!.message).toContain('drifted: Deployment/web spec.template.spec.containers[0].image: "127.0.0.1:5001/evil:1"');
    // A restarted server (a new driver) finds the same drift: what was applied is recorded in the inventory.
    const fresh = createKubernetesDriver({ targetOf: async () => ({ namespace, kubeconfig: readFileSync(cluster!.kubeconfig, 'utf8') }) });
    try {
      expect((await fresh.observe('env_dev', ['web'])).services[0]).toMatchObject({ health: 'degraded', message: expect.stringContaining('containers[0].image: "127.0.0.1:5001/evil:1"') });
      expect((await fresh.observe('env_dev', ['api'])).services[0]).toMatchObject({ health: 'healthy', message: null });
    } finally {
      await fresh.close();
    }
    // An env var added by hand is another manager's field, not Slipway's: no drift (server-side apply semantics).
    kubectl('set', 'env', 'deployment/worker', 'DEBUG=1');
    kubectl('delete', 'service', 'worker');
    await until(async () => (await driver.observe('env_dev', ['worker'])).services[0]!.health === 'missing', 5_000);
    expect((await driver.observe('env_dev', ['worker'])).services[0]!.message).toContain('Service/worker is gone');
    const { plan, result } = await sync(demo('env_dev'));
    expect(plan.actions.map((a) => a.type)).toEqual(['noop', 'restart', 'restart']);
    expect(result.results.every((r) => r.ok)).toBe(true);
    expect(kubectl('get', 'service', 'worker', '-o', 'name').trim()).toBe('service/worker');
  });

  it("leaves a field another manager owns alone: replicas under an HPA are not drift", async () => {
    const hpa: DesiredState = { environment: 'env_hpa', services: [service('scaled', { kubernetes: { autoscale: { min: 1, max: 5, cpuPercent: 80 } } })] };
    expect((await sync(hpa)).result.results.every((r) => r.ok)).toBe(true);
    expect(kubectl('get', 'hpa', 'scaled', '-o', 'name').trim()).toBe('horizontalpodautoscaler.autoscaling/scaled');
    changes.length = 0;
    // What the HPA would do: scale the Deployment through its scale subresource, as another field manager.
    kubectl('scale', 'deployment', 'scaled', '--replicas=4');
    await until(async () => kubectl('get', 'deployment', 'scaled', '-o', 'jsonpath={.status.replicas}') === '4');
    await new Promise((r) => setTimeout(r, 500));
    expect(changes).not.toContain('env_hpa');
    const observed = await driver.observe('env_hpa', ['scaled']);
    expect(observed.services[0]).toMatchObject({ health: 'healthy', message: null });
    expect(driver.plan(hpa, observed).actions.map((a) => a.type)).toEqual(['noop']);
  });

  it('takes back a revision that is not healthy by its deadline, and removes a first one', async () => {
    // Pods that no node takes (a node selector nothing matches) stay Pending: the deploy fails at the deadline.
    const stuck = (revision: string) => service('api', { revision, health: { path: '/healthz', timeoutSeconds: 2, intervalSeconds: 0.25 }, kubernetes: { nodeSelector: { pool: 'none' } } });
    const { result } = await sync({ environment: 'env_dev', services: [stuck('api-bad')] });
    expect(result.results[0]).toMatchObject({ ok: false, message: expect.stringContaining('not healthy within 2s') });
    expect(result.results[0]!.message).toContain('revision api-r1 keeps serving');
    expect((await driver.observe('env_dev', ['api'])).services[0]).toMatchObject({ revision: 'api-r1' });
    await until(async () => (await driver.observe('env_dev', ['api'])).services[0]!.health === 'healthy');
    expect((await driver.observe('env_dev', ['api'])).services[0]!.message).toBeNull();
    expect(kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.spec.template.spec.nodeSelector}')).toBe('');
    const first = await sync({ environment: 'env_first', services: [{ ...stuck('lonely-1'), service: 'lonely' }] });
    expect(first.result.results[0]).toMatchObject({ ok: false });
    expect(kubectl('get', 'deployment,service,secret,configmap', '-l', 'slipway.dev/service=lonely', '-o', 'name').trim()).toBe('');
    expect((await driver.observe('env_first', ['lonely'])).services[0]).toMatchObject({ revision: null, health: 'missing' });
  });

  it('prunes what a new revision no longer has, and deletes a removed service entirely', async () => {
    const without = { environment: 'env_dev', services: [service('api', { revision: 'api-r2', kubernetes: { ingress: { host: 'api.example.com', path: '/' } } })] };
    expect((await sync(without)).result.results.every((r) => r.ok)).toBe(true);
    expect(kubectl('get', 'ingress', '-o', 'name').trim()).toBe('ingress.networking.k8s.io/api');
    const back = { environment: 'env_dev', services: [service('api', { revision: 'api-r3' })] };
    expect((await sync(back)).result.results).toEqual([{ service: 'api', action: 'replace', ok: true, message: null }]);
    expect(kubectl('get', 'ingress', '-o', 'name').trim()).toBe('');
    await driver.delete('env_dev', 'worker');
    expect(kubectl('get', 'all,secret,configmap', '-l', 'slipway.dev/service=worker', '-o', 'name').trim()).toBe('');
    expect((await driver.observe('env_dev', ['worker'])).services[0]).toMatchObject({ health: 'missing', revision: null });
  });

  it('applies manifests written elsewhere (a kustomize directory): healthy, with a clean diff', async () => {
    const dir = join(import.meta.dirname, 'testdata', 'own-manifests');
    const own = { environment: 'env_own', services: [service('shop', { revision: 'shop-r1', kubernetes: { manifests: dir } })] };
    const { result } = await sync(own);
    expect(result.results[0]).toMatchObject({ ok: true, message: null });
    expect(kubectl('get', 'deployment,service,configmap', '-l', 'slipway.dev/service=shop', '-o', 'name').split('\n').filter(Boolean).sort()).toEqual([
      'configmap/shop-settings',
      'configmap/slipway-inventory-shop',
      'deployment.apps/shop',
      'service/shop',
    ]);
    const observed = await driver.observe('env_own', ['shop']);
    expect(observed.services[0]).toMatchObject({ health: 'healthy', message: null });
    expect(driver.plan(own, observed).actions.map((a) => a.type)).toEqual(['noop']);
  });
});
