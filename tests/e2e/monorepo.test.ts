import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanPreview, Release, Run, SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

const server = "import http from 'node:http';\nhttp.createServer((q, r) => r.end(process.env.NAME ?? 'ok')).listen(Number(process.env.PORT), '127.0.0.1');\n";

/** Three services, two of which share a library: a commit runs and builds only what its paths touch. */
describe('a monorepo with three services and a shared library', () => {
  const dir = tempDir('monorepo');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let projectId = '';

  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
  };
  /** Commits, polls, and waits until the commit's runs have finished and its release (or its skip) is recorded. */
  const commit = async (files: Record<string, string>, message: string) => {
    write(files);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', message);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
    const decided = await waitFor(`the release decision for ${message}`, async () => {
      const events = (await s.get<{ items: SlipwayEvent[] }>('/api/events?limit=1000')).items;
      return events.find((e) => (e.kind === 'release.created' || e.kind === 'release.skipped') && e.data.commitSha === sha) ?? events.find((e) => e.kind === 'release.skipped' && e.data.sha === sha);
    }, 60_000, 200);
    const runs = (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
    const [release] = (await s.get<{ items: Release[] }>(`/api/releases?projectId=${projectId}&limit=1`)).items;
    return { sha, runs: runs.map((r) => r.workflow.replace('.slipway/workflows/', '').replace('.yml', '')).sort(), statuses: runs.map((r) => r.status), decided, release };
  };

  beforeAll(async () => {
    const services = ['api', 'web', 'worker'];
    write({
      'slipway.yaml': [
        'project: mono',
        'services:',
        ...services.flatMap((name, i) => [`  ${name}:`, `    path: services/${name}`, '    command: node server.mjs', `    port: ${fixedPort(i)}`, '    health:', '      path: /', ...(name !== 'worker' ? ['    shared: ["lib/**"]'] : [])]),
        'environments:',
        '  dev: {}',
        '',
      ].join('\n'),
      'lib/format.js': 'export const format = (s) => s;\n',
      ...Object.fromEntries(services.map((n) => [`services/${n}/server.mjs`, server])),
      ...Object.fromEntries(
        services.map((n) => [`.slipway/workflows/${n}.yml`, `name: ${n}\non:\n  push:\n    paths: ['services/${n}/**'${n !== 'worker' ? ", 'lib/**'" : ''}]\njobs:\n  test:\n    runs-on: host\n    steps:\n      - run: echo testing ${n}\n`]),
      ),
    });
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    projectId = (await addProject(s, repo, 'mono')).id;
    await waitFor('the first release', async () => (await s.get<{ items: Release[] }>('/api/releases')).items[0], 60_000, 200);
  });

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it("a commit to one service's path runs only its workflow and rebuilds only it", async () => {
    const c = await commit({ 'services/web/server.mjs': `${server}// v2\n` }, 'web only');
    expect(c.runs).toEqual(['web']);
    expect(c.statuses).toEqual(['succeeded']);
    expect(c.release?.commitSha).toBe(c.sha);
    expect(c.release?.changedServices).toEqual(['web']);
  });

  it('a commit to the shared library runs and rebuilds the services that depend on it, and not the others', async () => {
    const c = await commit({ 'lib/format.js': 'export const format = (s) => `[${s}]`;\n' }, 'lib change');
    expect(c.runs).toEqual(['api', 'web']);
    expect(c.release?.changedServices.sort()).toEqual(['api', 'web']);
    const [seen] = (await s.get<{ items: SlipwayEvent[] }>(`/api/events?limit=1000`)).items.filter((e) => e.kind === 'commit.seen' && e.data.sha === c.sha);
    const triggers = seen!.data.triggers as { service: string; triggered: boolean; reason: string }[];
    expect(triggers.find((t) => t.service === 'worker')).toMatchObject({ triggered: false });
    expect(triggers.find((t) => t.service === 'api')?.reason).toContain('lib/format.js');
  });

  it('slipway plan --branch prints the services a merge would rebuild and the diff of each environment, and --json gives the same', async () => {
    // The plan compares with the release dev is driven to: let the last one get there first.
    const [last] = (await s.get<{ items: Release[] }>(`/api/releases?projectId=${projectId}&limit=1`)).items;
    await waitFor('dev to want the last release', async () => (await s.status()).projects[0]?.environments.find((e) => e.name === 'dev')?.desiredRelease?.version === last!.version, 30_000, 100);
    await git(repo, 'checkout', '-q', '-b', 'feature');
    write({ 'services/worker/server.mjs': `${server}// faster\n`, 'slipway.yaml': (await import('node:fs')).readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace('  dev: {}', '  dev:\n    overrides:\n      worker:\n        env:\n          MODE: fast') });
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'faster worker');
    const head = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'checkout', '-q', 'main');

    const text = await cli(['plan', '--branch', 'feature', '--server', s.url]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Plan: feature (${head.slice(0, 7)}) → main`);
    expect(text.stdout).toMatch(/rebuild worker/);
    expect(text.stdout).toMatch(/keep\s+api/);
    expect(text.stdout).toMatch(/~ worker\n(.*\n)*\s+\+ env.MODE: fast/);
    const json = await cli(['plan', '--branch', 'feature', '--json', '--server', s.url]);
    const plan = JSON.parse(json.stdout) as PlanPreview;
    expect(plan.head).toEqual({ ref: 'feature', sha: head });
    expect(plan.services.filter((x) => x.rebuild).map((x) => x.service)).toEqual(['worker']);
    const dev = plan.environments.find((e) => e.environment === 'dev')!;
    expect(dev.services.map((x) => [x.service, x.change])).toEqual([['worker', 'changed']]);
    expect(dev.services[0]!.fields).toEqual(expect.arrayContaining([{ field: 'env.MODE', from: null, to: 'fast' }, expect.objectContaining({ field: 'revision' })]));
    const missing = await cli(['plan', '--branch', 'nope', '--server', s.url]);
    expect(missing.code).toBe(66);

    // The same change as a pull request: its head comes from the host's refs/pull/N/head.
    await git(repo, 'update-ref', 'refs/pull/3/head', head);
    const pr = JSON.parse((await cli(['plan', '--pr', '3', '--json', '--server', s.url])).stdout) as PlanPreview;
    expect(pr.head).toEqual({ ref: '#3', sha: head });
    expect(pr.services.filter((x) => x.rebuild).map((x) => x.service)).toEqual(['worker']);
    expect(pr.workflows.map((w) => w.workflow).sort()).toEqual(['.slipway/workflows/api.yml', '.slipway/workflows/web.yml', '.slipway/workflows/worker.yml']);
    expect(pr.workflows.every((w) => !w.triggered)).toBe(true);
    const markdown = await fetch(`${s.url}/api/projects/${projectId}/plan?pr=3&format=markdown`).then((r) => r.text());
    expect(markdown).toContain('| worker | yes |');
    expect((await cli(['plan', '--pr', '4', '--server', s.url])).code).toBe(66);
  });
});

/** Fixed ports keep the environment diff free of ports the environment picked itself. */
function fixedPort(i: number): number {
  return 7600 + (process.pid % 200) * 3 + i;
}
