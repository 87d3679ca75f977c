import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredService } from '@slipway/core';
import { createKubernetesDriver, type KubernetesDriver } from './driver.js';
import { testCluster } from './test-cluster.js';

const cluster = testCluster();

/**
 * Canary and blue-green on a real API server (kwok pods): the canary's replicas follow the weight, an HTTPRoute's
 * backend weights do when the service has a route (a minimal HTTPRoute CRD is installed for the test: Gateway API's
 * own CRDs are not vendored), and blue-green switches the Service's selector.
 */
describe.skipIf(!cluster)('canary and blue-green on Kubernetes', () => {
  let driver: KubernetesDriver;
  const namespace = `traffic-${Date.now().toString(36)}`;
  const kubectl = (...args: string[]) => execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', namespace, ...args], { encoding: 'utf8' });
  const json = <T>(...args: string[]) => JSON.parse(kubectl(...args, '-o', 'json')) as T;
  const service = (name: string, revision: string, extra: Partial<DesiredService> = {}): DesiredService => ({
    service: name,
    releaseId: `rel_${revision}`,
    revision,
    artifact: `/artifacts/${name}`,
    image: `127.0.0.1:5001/demo/${name}:${revision}`,
    command: 'node src/server.mjs',
    env: { VERSION: revision },
    port: 80,
    replicas: 9,
    health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 },
    ...extra,
  });
  const deploy = async (desired: DesiredService) => {
    const plan = driver.plan({ environment: 'env_t', services: [desired] }, await driver.observe('env_t', [desired.service]));
    expect((await driver.apply(plan, {})).results.every((r) => r.ok)).toBe(true);
  };
  const names = (kind: string) => kubectl('get', kind, '-o', 'name').trim().split('\n').filter(Boolean).sort();

  beforeAll(() => {
    execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, 'apply', '-f', join(import.meta.dirname, 'testdata', 'httproute-crd.yaml')]);
    execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, 'wait', '--for=condition=Established', 'crd/httproutes.gateway.networking.k8s.io']);
    driver = createKubernetesDriver({ targetOf: async () => ({ namespace, kubeconfig: readFileSync(cluster!.kubeconfig, 'utf8') }) });
  });
  afterAll(async () => {
    await driver?.close();
    execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, 'delete', 'namespace', namespace, '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
  });

  it('scales a canary by the weight next to 9 stable replicas, then promotes it into the stable Deployment', async () => {
    await deploy(service('api', 'v1'));
    const traffic = driver.traffic!;
    const progress: string[] = [];
    expect(await traffic.startCanary('env_t', service('api', 'v2'), { weight: 10 }, (m) => progress.push(m))).toBeNull();
    expect(traffic.canaryRevision('env_t', 'api')).toBe('v2');
    expect(kubectl('get', 'deployment', 'api-canary', '-o', 'jsonpath={.spec.replicas}')).toBe('1');
    expect(progress.join('\n')).toContain('api-canary: 1 replica next to 9 stable, about 10 % of requests');
    // The Service selects both tracks; the canary's env is its own Secret.
    expect(kubectl('get', 'service', 'api', '-o', 'jsonpath={.spec.selector}')).toBe('{"app.kubernetes.io/name":"api"}');
    expect(Buffer.from(kubectl('get', 'secret', 'api-canary-env', '-o', 'jsonpath={.data.VERSION}'), 'base64').toString()).toBe('v2');
    await traffic.setRoute('env_t', 'api', { weight: 50 });
    expect(kubectl('get', 'deployment', 'api-canary', '-o', 'jsonpath={.spec.replicas}')).toBe('9');
    await traffic.promote('env_t', 'api', 0);
    expect(kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).toBe('v2');
    expect(names('deployments')).toEqual(['deployment.apps/api']);
    expect(names('secrets')).toEqual(['secret/api-env']);
    expect(kubectl('get', 'service', 'api', '-o', 'jsonpath={.spec.selector}')).toBe('{"app.kubernetes.io/name":"api"}');
    const observed = await driver.observe('env_t', ['api']);
    expect(observed.services[0]).toMatchObject({ revision: 'v2', health: 'healthy', message: null });
  });

  it('aborts a canary: its objects go, the stable version is untouched', async () => {
    expect(await driver.traffic!.startCanary('env_t', service('api', 'v3'), { weight: 10 })).toBeNull();
    expect(names('deployments')).toEqual(['deployment.apps/api', 'deployment.apps/api-canary']);
    await driver.traffic!.abort('env_t', 'api');
    expect(names('deployments')).toEqual(['deployment.apps/api']);
    expect(kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).toBe('v2');
    expect(driver.traffic!.canaryRevision('env_t', 'api')).toBeNull();
  });

  it('splits by HTTPRoute backend weights when the service has a route', async () => {
    const route = { route: { gateway: 'infra/edge', hostnames: ['web.example.com'] } };
    await deploy(service('web', 'v1', { kubernetes: route }));
    type Route = { spec: { rules: { backendRefs: { name: string; weight: number }[] }[] } };
    expect(json<Route>('get', 'httproute', 'web').spec.rules[0]!.backendRefs).toEqual([{ name: 'web', port: 80, weight: 100 }]);
    expect(await driver.traffic!.startCanary('env_t', service('web', 'v2', { kubernetes: route }), { weight: 20 })).toBeNull();
    expect(json<Route>('get', 'httproute', 'web').spec.rules[0]!.backendRefs.map((b) => [b.name, b.weight])).toEqual([['web-stable', 80], ['web-canary', 20]]);
    expect(kubectl('get', 'service', 'web-canary', '-o', 'jsonpath={.spec.selector.slipway\\.dev/track}')).toBe('canary');
    await driver.traffic!.setRoute('env_t', 'web', { weight: 60 });
    expect(json<Route>('get', 'httproute', 'web').spec.rules[0]!.backendRefs.map((b) => b.weight)).toEqual([40, 60]);
    await driver.traffic!.promote('env_t', 'web', 0);
    expect(json<Route>('get', 'httproute', 'web').spec.rules[0]!.backendRefs).toEqual([{ name: 'web', port: 80, weight: 100 }]);
    expect(names('services').filter((n) => n.startsWith('service/web'))).toEqual(['service/web']);
    expect((await driver.observe('env_t', ['web'])).services[0]).toMatchObject({ revision: 'v2', health: 'healthy', message: null });
  });

  it('previews blue-green on <service>-preview, and switches by the Service selector', async () => {
    await deploy(service('shop', 'blue', { replicas: 2 }));
    expect(await driver.traffic!.startCanary('env_t', service('shop', 'green', { replicas: 2 }), { weight: 0, header: { name: 'x-preview', value: '1' } })).toBeNull();
    // Full size next to the stable one, reached only through the preview Service.
    expect(kubectl('get', 'deployment', 'shop-canary', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    expect(kubectl('get', 'service', 'shop-preview', '-o', 'jsonpath={.spec.selector.slipway\\.dev/track}')).toBe('canary');
    expect(kubectl('get', 'service', 'shop', '-o', 'jsonpath={.spec.selector}')).toBe('{"app.kubernetes.io/name":"shop"}');
    // The switch happens first: watch the Service while the promotion runs.
    const selectors = new Set<string>();
    const promoting = driver.traffic!.promote('env_t', 'shop', 0);
    const watching = (async () => {
      let done = false;
      void promoting.finally(() => (done = true));
      while (!done) {
        selectors.add(kubectl('get', 'service', 'shop', '-o', 'jsonpath={.spec.selector.slipway\\.dev/track}'));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await promoting;
    await watching;
    expect(selectors.has('canary')).toBe(true);
    expect(kubectl('get', 'service', 'shop', '-o', 'jsonpath={.spec.selector}')).toBe('{"app.kubernetes.io/name":"shop"}');
    expect(names('deployments').filter((n) => n.includes('shop'))).toEqual(['deployment.apps/shop']);
    expect(kubectl('get', 'deployment', 'shop', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/revision}')).toBe('green');
    expect(await driver.traffic!.switchBack('env_t', 'shop')).toBe(false);
  });
});
