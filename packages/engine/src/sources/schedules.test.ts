import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@slipway/core';
import { createGitSource } from '@slipway/integration-git';
import { createStore } from '@slipway/store';
import type { EngineContext } from '../context.js';
import { testContext } from '../test-context.js';
import { createScheduleHandler, createSchedules } from './schedules.js';

const workflow = `name: nightly
on:
  schedule:
    - cron: '*/10 3 * * *'
jobs:
  sweep:
    runs-on: host
    steps:
      - run: echo sweep
`;

/** on.schedule with a real git repository and a real SQLite store; only the clock is driven by the test. */
describe('schedules', () => {
  let dir: string;
  let store: Store;
  let ctx: EngineContext;
  let now = new Date('2026-11-26T02:58:30Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-schedules-'));
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, '.slipway/workflows'), { recursive: true });
    writeFileSync(join(repo, '.slipway/workflows/nightly.yml'), workflow);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const sha = git('rev-parse', 'HEAD');
    const clock = { now: () => now };
    store = await createStore({ database: ':memory:', clock });
    await store.migrate();
    const source = createGitSource({ mirrorsDir: join(dir, 'mirrors') });
    const project = await store.createProject({ name: 'shop', repoUrl: repo, branch: 'main', pollIntervalMs: 60_000 });
    await source.fetch({ projectId: project.id, repoUrl: repo, branch: 'main' });
    await store.setProjectCommit(project.id, sha);
    ctx = testContext({ store, source, clock, dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fire = async () => {
    const handler = createScheduleHandler(ctx);
    for (;;) {
      const item = await store.claim({ owner: 't', leaseMs: 60_000, kinds: ['schedule.fire'] });
      if (!item) return;
      await handler(item, new AbortController().signal);
      await store.complete(item.id, 't');
    }
  };

  it('queues one run per due minute, at the head of the branch, and none for minutes that are not due', async () => {
    const schedules = createSchedules(ctx);
    // A second server on the same database, started at the same time.
    const other = createSchedules(ctx);
    now = new Date('2026-11-26T02:59:10Z');
    await schedules.tick();
    await fire();
    expect(await store.listRuns({})).toHaveLength(0);

    now = new Date('2026-11-26T03:00:05Z');
    await schedules.tick();
    await schedules.tick();
    await other.tick();
    await fire();
    const [run, ...rest] = await store.listRuns({});
    expect(rest).toHaveLength(0);
    expect(run).toMatchObject({ trigger: 'schedule', workflow: '.slipway/workflows/nightly.yml', workflowName: 'nightly', status: 'queued' });
    const events = await store.listEvents({});
    expect(events.find((e) => e.kind === 'run.queued')?.message).toContain('on.schedule "*/10 3 * * *" at 2026-11-26 03:00 UTC');

    // The other server fires the same minute late, after the first item finished: the run check stops it.
    await store.enqueue({ kind: 'schedule.fire', payload: { projectId: run!.projectId, file: run!.workflow, cron: '*/10 3 * * *', minute: '2026-11-26T03:00:00.000Z' } });
    await fire();
    expect(await store.listRuns({})).toHaveLength(1);

    now = new Date('2026-11-26T03:10:00Z');
    await schedules.tick();
    await fire();
    expect((await store.listRuns({})).map((r) => r.trigger)).toEqual(['schedule', 'schedule']);
  });

  it('catches up at most five missed minutes after a pause', async () => {
    const schedules = createSchedules(ctx);
    now = new Date('2026-11-26T03:55:00Z');
    await schedules.tick();
    await fire();
    // 02:58 → 03:55 spans six due minutes (03:00 … 03:50); only 03:51–03:55 are looked at, and none of those is due.
    expect(await store.listRuns({})).toHaveLength(0);
  });
});
