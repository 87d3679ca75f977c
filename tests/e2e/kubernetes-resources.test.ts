import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentResources } from '@slipway/core';
import { launchChromium, noChromium, screenshots } from './browser.js';
import { cli, freePort, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';
import { testCluster } from '../../drivers/kubernetes/src/test-cluster.js';

const cluster = testCluster();

/**
 * The resource tree of a Kubernetes environment, through the real CLI and in the dashboard: the demo in a namespace of
 * its own on the test cluster, each service's objects with their health, and a Deployment's pods under it.
 */
describe.skipIf(!cluster)('the resource tree of a Kubernetes environment', () => {
  const dir = tempDir('kubernetes-resources');
  const repo = join(dir.path, 'repo');
  const namespace = `dash-${randomBytes(3).toString('hex')}`;
  let s: ServerProcess;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    const config = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('  dev: {}\n  staging: {}\n  prod:\n    policy:\n      approvals: 1\n', `  dev:\n    target: { type: kubernetes, namespace: ${namespace} }\n`);
    expect(config).toContain('type: kubernetes');
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { KUBECONFIG: cluster!.kubeconfig } });
    await addProject(s, repo, 'demo');
    await waitFor('dev healthy with three services', async () => {
      const dev = (await s.status()).projects[0]?.environments.find((e) => e.name === 'dev');
      return dev?.health === 'healthy' && dev.services.length === 3 && dev.services.every((x) => x.health === 'healthy');
    }, 90_000, 250);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await s?.stop();
    if (cluster) execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'delete', 'namespace', namespace, '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
    dir.remove();
  });

  it('`slipway resources dev` lists each service\'s objects, healthy, with the pods under the Deployment', async () => {
    const json = await cli(['resources', 'dev', '--server', s.url, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const tree = JSON.parse(json.stdout) as EnvironmentResources;
    expect(tree).toMatchObject({ environment: 'dev', target: 'kubernetes', supported: true });
    expect(tree.services.map((x) => x.service).sort()).toEqual(['api', 'web', 'worker']);
    const api = tree.services.find((x) => x.service === 'api')!.resources;
    const deployment = api.find((r) => r.kind === 'Deployment')!;
    expect(deployment).toMatchObject({ name: 'api', namespace, health: 'healthy', drift: [] });
    expect(deployment.children.length).toBeGreaterThan(0);
    for (const pod of deployment.children) expect(pod).toMatchObject({ kind: 'Pod', namespace, health: 'healthy' });
    expect(api.find((r) => r.kind === 'Service')).toMatchObject({ name: 'api', health: 'healthy' });

    const text = await cli(['resources', 'dev', '--server', s.url]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('dev (kubernetes)\n');
    expect(text.stdout).toContain('  Deployment/api  healthy\n');
    expect(text.stdout).toMatch(/\n {4}Pod\/api-[a-z0-9-]+ {2}healthy\n/);
  }, 30_000);

  it.skipIf(noChromium !== undefined)('the dashboard shows the tree under Resources: Deployment api healthy with its pod', async () => {
    let page: Page;
    ({ context, page } = await launchChromium(join(dir.path, 'chromium-profile')));
    await page.goto(`${s.url}/`);
    const dev = page.locator('[data-testid="environment"][data-env="dev"]');
    await dev.locator('[data-testid="resources-toggle"]').click();
    const api = dev.locator('[data-testid="resource-service"][data-service="api"]');
    const deployment = api.locator('[data-testid="resource"][data-kind="Deployment"][data-name="api"]');
    await deployment.locator('[data-testid="resource"][data-kind="Pod"][data-health="healthy"]').first().waitFor({ timeout: 15_000 });
    expect(await deployment.getAttribute('data-health')).toBe('healthy');
    expect(await deployment.getAttribute('data-drift')).toBe('false');
    expect(await api.locator('[data-testid="resource"][data-kind="Service"][data-name="api"]').getAttribute('data-health')).toBe('healthy');
    for (const service of ['web', 'worker']) await dev.locator(`[data-testid="resource-service"][data-service="${service}"] [data-kind="Deployment"][data-health="healthy"]`).waitFor();
    await page.screenshot({ path: join(screenshots, 'kubernetes-resources.png'), fullPage: true });
  }, 60_000);
});
