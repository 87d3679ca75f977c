import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release, Run, StatusReport } from '@slipway/core';
import { cli, freePort, processesMatching, git, servicesIn, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';

/** The walking skeleton, end to end through the real CLI and server: commit → CI → release → deploy to dev. */
describe('the demo flow on embedded defaults', () => {
  const dir = tempDir('flow');
  const repo = join(dir.path, 'demo-repo');
  let s: ServerProcess;

  beforeAll(async () => {
    s = await startSlipway(['demo', '--data-dir', dir.path, '--quiet'], { port: await freePort() });
  });

  afterAll(async () => {
    await s?.stop();
    // The demo stops every instance on SIGTERM: nothing it started may be left running.
    const left = processesMatching(dir.path);
    dir.remove();
    expect(left, 'processes left behind').toBe('');
  });

  it('brings api, web and worker up healthy in dev, and `slipway status --json` agrees', async () => {
    const started = Date.now();
    const status = await waitFor('three healthy services in dev', async () => {
      const st = await s.status();
      const svc = servicesIn(st);
      return ['api', 'web', 'worker'].every((n) => svc.get(n)?.health === 'healthy') ? st : undefined;
    }, 60_000);
    console.log(`[e2e] demo healthy in dev after ${Date.now() - started} ms`);
    const res = await cli(['status', '--json', '--server', s.url]);
    expect(res.code).toBe(0);
    const fromCli = JSON.parse(res.stdout) as typeof status;
    expect([...servicesIn(fromCli).values()].map((x) => [x.service, x.health]).sort()).toEqual([['api', 'healthy'], ['web', 'healthy'], ['worker', 'healthy']]);
    // The first deploy starts web and worker only after api is healthy, and says so.
    const first = (await s.events()).find((e) => e.kind === 'deployment.started' && e.data.environment === 'dev');
    expect(first?.data.waits).toEqual({ web: ['api'], worker: ['api'] });
    expect(first?.message).toContain('in dependency order: web after api, worker after api');
    // The web frontend reaches the api through the stable URL it was given.
    const web = servicesIn(status).get('web')!;
    const page = await (await fetch(web.url!)).text();
    expect(page).toMatch(/api/i);
  }, 90_000);

  it('flows dev → staging → prod, where one approval from the CLI lets it through; status shows the release everywhere', async () => {
    const waiting = await waitFor('the prod promotion waiting for its approval', async () => (await s.status()).projects[0]?.environments.find((e) => e.name === 'prod')?.waiting[0], 60_000, 200);
    expect(waiting.waitingOn.map((g) => g.detail)).toEqual(['0 of 1 approval (role approver)']);
    const text = await cli(['status', '--server', s.url]);
    expect(text.stdout).toContain(`waiting: v${waiting.version} 0 of 1 approval (role approver) (slipway approve ${waiting.promotionId})`);
    const listed = JSON.parse((await cli(['promotions', '--waiting', '--json', '--server', s.url])).stdout) as { id: string }[];
    expect(listed.map((p) => p.id)).toEqual([waiting.promotionId]);

    const approved = await cli(['approve', waiting.promotionId, '--reason', 'demo looks good', '--server', s.url]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('1 approval: local');
    const everywhere = await waitFor('the same release healthy in dev, staging and prod', async () => {
      const st = await s.status();
      const envs = st.projects[0]!.environments;
      const versions = envs.map((e) => e.desiredRelease?.version);
      const healthy = envs.every((e) => e.health === 'healthy' && e.services.length === 3 && e.services.every((x) => x.releaseVersion !== null));
      return healthy && new Set(versions).size === 1 && versions[0] === waiting.version ? st : undefined;
    }, 60_000, 200);
    expect(everywhere.projects[0]!.environments.map((e) => [e.name, e.desiredRelease?.version, e.waiting.length])).toEqual([['dev', waiting.version, 0], ['staging', waiting.version, 0], ['prod', waiting.version, 0]]);
    const json = JSON.parse((await cli(['status', '--json', '--server', s.url])).stdout) as StatusReport;
    expect(json.projects[0]!.environments.map((e) => e.desiredRelease?.version)).toEqual([waiting.version, waiting.version, waiting.version]);
    const events = await s.events();
    const approval = events.find((e) => e.kind === 'promotion.approved');
    expect(approval).toMatchObject({ data: { actor: 'local', reason: 'demo looks good', approvals: 1, needed: 1 } });
    // Each environment deployed the release once.
    const deployed = events.filter((e) => e.kind === 'deployment.succeeded' && e.data.version === waiting.version).map((e) => e.data.environment);
    expect(deployed.sort()).toEqual(['dev', 'prod', 'staging']);
  }, 120_000);

  it('a commit to one service reaches dev within 15 s, and only that service is redeployed', async () => {
    const before = servicesIn(await s.status());
    const file = join(repo, 'services/api/src/version.mjs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/VERSION = '[^']*'/, "VERSION = '1.0.1'"));
    await git(repo, 'commit', '-qam', 'bump api');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const t0 = Date.now();
    const after = await waitFor('api at a new release in dev', async () => {
      const now = servicesIn(await s.status());
      const api = now.get('api');
      return api && api.health === 'healthy' && api.releaseId !== before.get('api')!.releaseId ? now : undefined;
    }, 15_000, 100);
    const ms = Date.now() - t0;
    console.log(`[e2e] commit → healthy in dev: ${ms} ms`);
    expect(ms).toBeLessThan(15_000);
    expect(after.get('web')!.releaseId).toBe(before.get('web')!.releaseId);
    expect(after.get('worker')!.releaseId).toBe(before.get('worker')!.releaseId);
    const { items: runs } = await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`);
    expect(runs.map((r) => r.workflow)).toEqual(['.slipway/workflows/api.yml']);
    const detail = await s.get<{ triggers: { service: string; triggered: boolean; reason: string }[] }>(`/api/runs/${runs[0]!.id}`);
    expect(detail.triggers.find((t) => t.service === 'api')).toMatchObject({ triggered: true });
    expect(detail.triggers.find((t) => t.service === 'web')).toMatchObject({ triggered: false });
    const events = await s.events();
    expect(events.some((e) => e.kind === 'deployment.succeeded' && (e.data.services as string[]).join() === 'api')).toBe(true);
  }, 30_000);

  it('a commit that fails CI makes no release', async () => {
    const releasesBefore = (await s.get<{ items: Release[] }>('/api/releases')).items.length;
    mkdirSync(join(repo, 'services/api/test'), { recursive: true });
    writeFileSync(join(repo, 'services/api/test/broken.test.mjs'), "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('broken on purpose', () => assert.equal(1, 2));\n");
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'break the api tests');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const skipped = await waitFor('release.skipped', async () => (await s.events()).find((e) => e.kind === 'release.skipped' && e.data.sha === sha), 20_000);
    expect(skipped.message).toMatch(/CI failed/);
    const { items: runs } = await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`);
    expect(runs.map((r) => r.status)).toEqual(['failed']);
    expect((await s.get<{ items: Release[] }>('/api/releases')).items.length).toBe(releasesBefore);
    const logs = await cli(['logs', runs[0]!.id, '--server', s.url]);
    expect(logs.stdout).toMatch(/broken on purpose/);
  }, 30_000);

  it('a release that fails its health check in dev is rolled back to the previous one, and the reason is shown', async () => {
    const before = servicesIn(await s.status()).get('api')!;
    rmSync(join(repo, 'services/api/test/broken.test.mjs'));
    const config = join(repo, 'slipway.yaml');
    // The api answers 404 on this path: its new instance can never become healthy.
    writeFileSync(config, readFileSync(config, 'utf8').replace('    health:\n      path: /healthz\n', '    health:\n      path: /not-there\n      timeoutSeconds: 4\n'));
    expect(readFileSync(config, 'utf8')).toContain('/not-there');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'api: a health check that fails');
    const rolledBack = await waitFor('deployment.rolled-back', async () => (await s.events()).find((e) => e.kind === 'deployment.rolled-back'), 40_000);
    expect(rolledBack.message).toMatch(/api/);
    expect(rolledBack.message).toMatch(/not-there|health/);
    const status = await waitFor('dev back on the previous api release', async () => {
      const st = await s.status();
      const api = servicesIn(st).get('api');
      return api?.health === 'healthy' && api.releaseId === before.releaseId ? st : undefined;
    }, 20_000);
    const dev = status.projects[0]!.environments.find((e) => e.name === 'dev')!;
    expect(dev.hold).toMatch(/failed in dev/);
    const text = await cli(['status', '--server', s.url]);
    expect(text.stdout).toMatch(/hold:.*failed in dev/);
    // The old instance kept serving the whole time.
    expect((await fetch(`${before.url}/healthz`)).ok).toBe(true);
  }, 60_000);
});
