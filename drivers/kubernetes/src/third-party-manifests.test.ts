import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredService, DesiredState } from '@slipway/core';
import { createKubernetesDriver, type KubernetesDriver } from './driver.js';
import { loadManifests } from './manifests.js';
import { adoptManifest } from './render.js';
import { testCluster } from './test-cluster.js';

const cluster = testCluster();

/**
 * Manifests not written for Slipway (issue 8): Google's Online Boutique, the microservices demo of
 * github.com/GoogleCloudPlatform/microservices-demo (Apache-2.0), vendored unchanged in testdata/online-boutique:
 * - release/kubernetes-manifests.yaml at commit d23c171352f826fc6aea2f8ce922c724af250e1c (release v0.5.1, images
 *   tagged v0.5.1): 12 Deployments and 12 Services, with probes, securityContexts, resources, an init container;
 * - kustomize/components/non-public-frontend/kustomization.yaml at commit 9dae162e9397d5487dde1e061f1f7ac0cf9c2c09,
 *   upstream's component that deletes the LoadBalancer Service frontend-external (no cloud controller gives it an
 *   address here, so it could never be healthy).
 * Our kustomization.yaml combines the two: 23 objects. testdata/online-boutique/SOURCE.md says more.
 *
 * One service whose `kubernetes.manifests` is that kustomize directory is applied to a fresh namespace of the dev
 * cluster (kwok fakes the pods: Deployments become Available, no image is pulled). It must become healthy, show a
 * clean diff, and list no drift from server defaults, right after the sync, a few seconds later, and to a driver that
 * never applied it (a restarted server: its expectations come from the inventory, and a server-side dry run of each
 * manifest agrees with them).
 */
describe.skipIf(!cluster)('manifests written elsewhere: Online Boutique v0.5.1', () => {
  const namespace = `boutique-${Date.now().toString(36)}`;
  const environment = 'env_boutique';
  const dir = join(import.meta.dirname, 'testdata', 'online-boutique');
  const kubectl = (...args: string[]) => execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', namespace, ...args], { encoding: 'utf8' });
  const names = (...args: string[]) => kubectl('get', ...args, '-l', 'slipway.dev/service=boutique', '-o', 'name').split('\n').filter(Boolean).sort();
  const newDriver = () => createKubernetesDriver({ targetOf: async () => ({ namespace, kubeconfig: readFileSync(cluster!.kubeconfig, 'utf8') }) });
  const boutique: DesiredService = {
    service: 'boutique',
    releaseId: 'rel_1',
    revision: 'boutique-v0.5.1',
    artifact: '/artifacts/boutique',
    command: '',
    env: {},
    health: { path: '/', timeoutSeconds: 120, intervalSeconds: 1 },
    kubernetes: { manifests: dir },
  };
  const desired: DesiredState = { environment, services: [boutique] };
  const deployments = ['adservice', 'cartservice', 'checkoutservice', 'currencyservice', 'emailservice', 'frontend', 'loadgenerator', 'paymentservice', 'productcatalogservice', 'recommendationservice', 'redis-cart', 'shippingservice'];
  const services = deployments.filter((d) => d !== 'loadgenerator');
  let driver: KubernetesDriver;
  const drivers: KubernetesDriver[] = [];
  const changes: string[] = [];

  /** Health, message, plan and every object's drift, as the dashboard and the reconciler would see them. */
  const inSync = async (d: KubernetesDriver) => {
    const observed = await d.observe(environment, ['boutique']);
    expect(observed.services[0]).toMatchObject({ health: 'healthy', message: null, revision: 'boutique-v0.5.1' });
    expect(d.plan(desired, observed).actions.map((a) => a.type)).toEqual(['noop']);
    const nodes = await d.resources(environment, 'boutique');
    expect(nodes).toHaveLength(23);
    expect(nodes.filter((n) => n.health !== 'healthy' || n.drift.length > 0)).toEqual([]);
  };

  beforeAll(() => {
    driver = newDriver();
    drivers.push(driver);
    driver.onChange!((env) => changes.push(env));
  });
  afterAll(async () => {
    for (const d of drivers) await d.close();
    if (cluster) execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'delete', 'namespace', namespace, '--wait=false'], { stdio: 'ignore' });
  });

  it('applies them to a fresh namespace: every Deployment Available, every object healthy', async () => {
    const plan = driver.plan(desired, await driver.observe(environment, ['boutique']));
    expect(plan.actions.map((a) => a.type)).toEqual(['create']);
    const result = await driver.apply(plan, {});
    expect(result.results).toEqual([{ service: 'boutique', action: 'create', ok: true, message: null }]);

    expect(names('deployments')).toEqual(deployments.map((d) => `deployment.apps/${d}`));
    const available = kubectl('get', 'deployments', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Available")].status}{"\\n"}{end}');
    expect(available.split('\n').filter(Boolean).sort()).toEqual(deployments.map((d) => `${d}=True`));
    // The non-public-frontend component took frontend-external (type LoadBalancer) out.
    expect(names('services')).toEqual(services.map((s) => `service/${s}`));
    expect(kubectl('get', 'services', '-o', 'jsonpath={.items[*].spec.type}').split(' ').every((t) => t === 'ClusterIP')).toBe(true);
    // Upstream's selectors (app=…) still pick the pods; Slipway's labels were added to the pod templates.
    expect(kubectl('get', 'pods', '-l', 'app=frontend,slipway.dev/service=boutique', '-o', 'name').trim()).toMatch(/^pod\/frontend-/);
  }, 180_000);

  it('shows a clean diff right after the sync: no drift from server defaults', async () => {
    await inSync(driver);
  });

  it('stays clean a few seconds later, while status updates stream in', async () => {
    await new Promise((r) => setTimeout(r, 5_000));
    await inSync(driver);
    // Watch events (pods, status) came in since the sync; none of them was taken for drift.
    expect(changes).not.toContain(environment);
  }, 30_000);

  it('is clean to a driver that never applied it (a restarted server): from the inventory, and by a dry run', async () => {
    const fresh = newDriver();
    drivers.push(fresh);
    // A new process reads what the last apply expected from the inventory ConfigMap.
    await inSync(fresh);
    // A server-side dry run of each manifest gives the same: defaults are filled in the same way.
    const { cluster: c, ctx } = await fresh.resolve(environment);
    const manifests = await loadManifests(dir);
    expect(manifests).toHaveLength(23);
    const drift = await Promise.all(manifests.map(async (m) => c.drift(adoptManifest(ctx, 'boutique', m, (await c.discovery.resource(m.apiVersion, m.kind)).namespaced))));
    expect(drift.flat()).toEqual([]);
  }, 30_000);
});
