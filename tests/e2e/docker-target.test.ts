import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '@slipway/core';
import { dockerUnavailable } from '@slipway/executor-docker';
import { cli, freePort, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';

/**
 * The demo on the Docker target: dev → staging → prod (one approval), each service a container on its environment's
 * network, web reaching api by name; a container removed with `docker rm -f` is healed within 10 s.
 */
describe.skipIf(dockerUnavailable())('the demo on the Docker target', () => {
  const dir = tempDir('docker-target');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let envIds: string[] = [];
  const containers = (env: string) => execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${env}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const envs = async () => (await s.status()).projects[0]!.environments;

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    const config = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('  dev: {}\n  staging: {}\n  prod:\n', '  dev:\n    target: { type: docker }\n  staging:\n    target: { type: docker }\n  prod:\n    target: { type: docker }\n');
    expect(config.match(/type: docker/g)).toHaveLength(3);
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    await addProject(s, repo, 'demo');
  }, 60_000);

  afterAll(async () => {
    envIds = (await envs().catch(() => [])).map((e) => e.id);
    await s?.stop();
    for (const env of envIds) {
      const ids = containers(env);
      if (ids.length) execFileSync('docker', ['rm', '-f', ...ids]);
      spawnSync('docker', ['network', 'rm', `slipway-env-${env}`], { stdio: 'ignore' });
    }
    dir.remove();
  });

  it('flows dev → staging → prod, where one approval from the CLI lets it through; docker ps shows every service', async () => {
    const waiting = await waitFor('prod waiting for its approval', async () => (await envs()).find((e) => e.name === 'prod')?.waiting[0], 120_000, 250);
    expect((await cli(['approve', waiting.promotionId, '--server', s.url])).code).toBe(0);
    const all = await waitFor('the same release healthy in dev, staging and prod', async () => {
      const list = await envs();
      return list.every((e) => e.health === 'healthy' && e.services.length === 3 && e.desiredRelease?.version === waiting.version) ? list : undefined;
    }, 120_000, 250);
    for (const env of all.map((e) => e.id)) expect(containers(env)).toHaveLength(3);
    expect(all.map((e) => e.target)).toEqual(['docker', 'docker', 'docker']);
    // web reaches api by its name on the environment's network.
    const web = all.find((e) => e.name === 'prod')!.services.find((x) => x.service === 'web')!;
    const page = await (await fetch(web.url!)).text();
    expect(page).toMatch(/Hello from the api/i);
  }, 240_000);

  it('heals a container removed with docker rm -f within 10 s, and records the drift', async () => {
    const dev = (await envs()).find((e) => e.name === 'dev')!;
    const api = execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${dev.id}`, '--filter', 'label=dev.slipway.service=api'], { encoding: 'utf8' }).trim();
    const removed = Date.now();
    execFileSync('docker', ['rm', '-f', api]);
    const drift = await waitFor('drift.detected for dev', async () => (await s.events()).find((e: SlipwayEvent) => e.kind === 'drift.detected' && e.data.environment === 'dev' && Date.parse(e.ts) >= removed - 1000), 10_000, 100);
    expect(Date.parse(drift.ts) - removed).toBeLessThan(10_000);
    await waitFor('api healthy again in dev', async () => {
      const svc = (await envs()).find((e) => e.name === 'dev')!.services.find((x) => x.service === 'api');
      return svc?.health === 'healthy' && containers(dev.id).length === 3;
    }, 30_000, 200);
  }, 60_000);
});
