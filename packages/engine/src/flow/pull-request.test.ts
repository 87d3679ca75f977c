import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type PullRequestEvent, type Store } from '@slipway/core';
import { createGitSource } from '@slipway/integration-git';
import { createStore } from '@slipway/store';
import type { EngineContext } from '../context.js';
import { testContext } from '../test-context.js';
import { handlePullRequest } from './pull-request.js';
import { serviceRevision } from './revision.js';

const config = `project: shop
services:
  api:
    path: services/api
    command: node server.mjs
    port: 7001
  web:
    path: services/web
    command: node server.mjs
    port: 7002
environments:
  dev: {}
`;
const ci = `name: pr-ci
on:
  pull_request:
    branches: [main]
    paths: ['services/**']
jobs:
  test:
    runs-on: host
    steps:
      - run: echo "\${{ secrets.TOKEN }}"
`;
const docs = `name: docs
on:
  pull_request:
    paths: ['docs/**']
jobs:
  build:
    runs-on: host
    steps:
      - run: echo docs
`;

/** Pull requests with a real git repository and a real SQLite store: runs queued, forks without secrets, the plan preview. */
describe('pull requests', () => {
  let dir: string;
  let repo: string;
  let store: Store;
  let ctx: EngineContext;
  let projectId: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  const write = (files: Record<string, string>) => {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, p)), { recursive: true });
      writeFileSync(join(repo, p), text);
    }
    git('add', '-A');
  };
  const pr = (over: Partial<PullRequestEvent>): PullRequestEvent => ({ number: 5, action: 'opened', title: 'Faster api', headSha: git('rev-parse', 'refs/pull/5/head'), headRef: 'faster-api', baseRef: 'main', fork: false, headRepoUrl: null, url: 'https://git.example/pr/5', author: 'ada', ...over });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-pr-'));
    repo = join(dir, 'repo');
    mkdirSync(repo);
    git('init', '-q', '-b', 'main');
    write({ 'slipway.yaml': config, 'services/api/server.mjs': 'api v1', 'services/web/server.mjs': 'web v1', '.slipway/workflows/ci.yml': ci, '.slipway/workflows/docs.yml': docs });
    git('commit', '-qm', 'init');
    const main = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'faster-api');
    write({ 'services/api/server.mjs': 'api v2' });
    git('commit', '-qm', 'faster api');
    git('update-ref', 'refs/pull/5/head', 'HEAD');
    git('checkout', '-q', 'main');

    const clock = { now: () => new Date() };
    store = await createStore({ database: ':memory:', clock });
    await store.migrate();
    const source = createGitSource({ mirrorsDir: join(dir, 'mirrors') });
    const project = await store.createProject({ name: 'shop', repoUrl: repo, branch: 'main', pollIntervalMs: 60_000 });
    projectId = project.id;
    const ref = { projectId, repoUrl: repo, branch: 'main' };
    await source.fetch(ref);
    await store.setProjectCommit(projectId, main);
    // The release the environment runs: api and web at main, as the release flow records them.
    const parsed = parseConfig(config).value!;
    const services = Object.fromEntries(
      await Promise.all(Object.entries(parsed.services).map(async ([name, spec]) => [name, { revision: await serviceRevision(source, ref, main, spec), commitSha: main, artifact: `/a/${name}`, config: { ...spec, overrides: { dev: {} } } }] as const)),
    );
    const release = await store.createRelease({ projectId, commitSha: main, services, changedServices: ['api', 'web'] });
    const [env] = await store.syncEnvironments(projectId, [{ name: 'dev', position: 0, targetType: 'local' }]);
    await store.updateEnvironment(env!.id, { desiredReleaseId: release.id });
    ctx = testContext({ store, source, clock, dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues the workflows whose on.pull_request matches, at the head, and announces the plan preview', async () => {
    const event = pr({});
    const { runs } = await handlePullRequest(ctx, projectId, event);
    expect(runs.map((r) => [r.workflowName, r.trigger, r.commitSha, r.branch])).toEqual([['pr-ci', 'pull_request', event.headSha, 'faster-api']]);
    expect(runs[0]!.pullRequest).toEqual({ number: 5, headRef: 'faster-api', baseRef: 'main', fork: false, url: 'https://git.example/pr/5', title: 'Faster api' });
    const plan = (await store.listEvents({})).find((e) => e.kind === 'plan.created')!;
    expect(plan.data.pullRequest).toBe(5);
    const preview = plan.data.plan as { services: { service: string; rebuild: boolean }[]; environments: { environment: string; services: { service: string; change: string }[] }[]; workflows: { workflow: string; triggered: boolean }[] };
    expect(preview.services.map((s) => [s.service, s.rebuild])).toEqual([['api', true], ['web', false]]);
    expect(preview.environments).toEqual([{ environment: 'dev', currentRelease: 1, services: [expect.objectContaining({ service: 'api', change: 'changed' })] }]);
    expect(preview.workflows.map((w) => [w.workflow, w.triggered])).toEqual([['.slipway/workflows/ci.yml', true], ['.slipway/workflows/docs.yml', false]]);
    expect(String(plan.data.markdown)).toContain('| api | yes |');

    // The same event again (a redelivery, or a reopen at the same head) queues nothing new.
    expect((await handlePullRequest(ctx, projectId, { ...event, action: 'reopened' })).runs).toEqual([]);
    // A closed pull request is only recorded.
    expect((await handlePullRequest(ctx, projectId, { ...event, action: 'closed' })).runs).toEqual([]);
  });

  it('cancels the runs of an older head when new commits are pushed to the pull request', async () => {
    const first = (await handlePullRequest(ctx, projectId, pr({}))).runs[0]!;
    git('checkout', '-q', 'faster-api');
    write({ 'services/api/server.mjs': 'api v3' });
    git('commit', '-qm', 'even faster');
    git('update-ref', 'refs/pull/5/head', 'HEAD');
    git('checkout', '-q', 'main');
    const second = (await handlePullRequest(ctx, projectId, pr({ action: 'synchronize' }))).runs[0]!;
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(await store.getRun(first.id)).toMatchObject({ status: 'cancelled', error: `superseded by ${second.commitSha.slice(0, 7)}, the new head of pull request #5` });
  });

  it('marks the runs of a pull request from a fork, fetched from the fork', async () => {
    const fork = join(dir, 'fork');
    execFileSync('git', ['clone', '-q', repo, fork]);
    execFileSync('git', ['-c', 'user.name=f', '-c', 'user.email=f@f', 'checkout', '-q', '-b', 'fix'], { cwd: fork });
    writeFileSync(join(fork, 'services/web/server.mjs'), 'web from a fork');
    execFileSync('git', ['-c', 'user.name=f', '-c', 'user.email=f@f', 'commit', '-qam', 'fork fix'], { cwd: fork });
    const headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: fork, encoding: 'utf8' }).trim();
    const { runs } = await handlePullRequest(ctx, projectId, pr({ number: 6, headSha, headRef: 'fix', fork: true, headRepoUrl: fork }));
    expect(runs.map((r) => [r.commitSha, r.pullRequest?.fork])).toEqual([[headSha, true]]);
  });
});
