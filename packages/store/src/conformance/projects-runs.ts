import { describe, expect, it } from 'vitest';
import type { LogLine } from '@slipway/core';
import { runInput, seedProject, useStore, type NewStore } from './fixtures.js';

export function projectAndRunConformance(newStore: NewStore): void {
  describe('projects and services', () => {
    const f = useStore(newStore);

    it('creates a project and finds it by id and by name', async () => {
      const p = await f.store.createProject({ name: 'shop', repoUrl: '/repos/shop', branch: 'main', pollIntervalMs: 5000 });
      expect(p).toMatchObject({ name: 'shop', repoUrl: '/repos/shop', branch: 'main', pollIntervalMs: 5000, lastCommitSha: null });
      expect(p.createdAt).toBe(f.clock.now().toISOString());
      expect(await f.store.getProject(p.id)).toEqual(p);
      expect(await f.store.getProject('shop')).toEqual(p);
      expect(await f.store.getProject('nope')).toBeUndefined();
      expect((await f.store.listProjects()).map((x) => x.id)).toContain(p.id);
    });

    it('keeps the CI branches of a project and the last head seen of each', async () => {
      const p = await f.store.createProject({ name: 'branchy', repoUrl: '/r', branch: 'main', pollIntervalMs: 1000, ciBranches: ['feature/*'] });
      expect(p.ciBranches).toEqual(['feature/*']);
      expect((await seedProject(f.store)).ciBranches).toEqual([]);
      expect(await f.store.getBranchHeads(p.id)).toEqual({});
      await f.store.setBranchHead(p.id, 'feature/a', 'a'.repeat(40));
      await f.store.setBranchHead(p.id, 'feature/b', 'b'.repeat(40));
      await f.store.setBranchHead(p.id, 'feature/a', 'c'.repeat(40));
      expect(await f.store.getBranchHeads(p.id)).toEqual({ 'feature/a': 'c'.repeat(40), 'feature/b': 'b'.repeat(40) });
    });

    it('rejects a duplicate name with SLW_PROJECT_EXISTS', async () => {
      await f.store.createProject({ name: 'dup', repoUrl: '/a', branch: 'main', pollIntervalMs: 1000 });
      await expect(f.store.createProject({ name: 'dup', repoUrl: '/b', branch: 'main', pollIntervalMs: 1000 })).rejects.toMatchObject({
        name: 'SlipwayError',
        code: 'SLW_PROJECT_EXISTS',
      });
    });

    it('records the last processed commit', async () => {
      const p = await seedProject(f.store);
      await f.store.setProjectCommit(p.id, 'c'.repeat(40));
      expect((await f.store.getProject(p.id))?.lastCommitSha).toBe('c'.repeat(40));
    });

    it('replaces the set of services, keeping their order', async () => {
      const p = await seedProject(f.store);
      await f.store.replaceServices(p.id, [
        { name: 'web', path: 'web', dependsOn: ['api'] },
        { name: 'api', path: 'api', dependsOn: [] },
      ]);
      await f.store.replaceServices(p.id, [
        { name: 'worker', path: 'svc/worker', dependsOn: [] },
        { name: 'api', path: 'svc/api', dependsOn: ['worker'] },
      ]);
      expect(await f.store.listServices(p.id)).toEqual([
        { projectId: p.id, name: 'worker', path: 'svc/worker', dependsOn: [] },
        { projectId: p.id, name: 'api', path: 'svc/api', dependsOn: ['worker'] },
      ]);
      await f.store.replaceServices(p.id, []);
      expect(await f.store.listServices(p.id)).toEqual([]);
    });
  });

  describe('runs, jobs and steps', () => {
    const f = useStore(newStore);

    it('creates a queued run with its jobs and steps and numbers runs per project', async () => {
      const p = await seedProject(f.store);
      const run = await f.store.createRun(runInput(p.id));
      expect(run).toMatchObject({ projectId: p.id, number: 1, status: 'queued', attempt: 1, trigger: 'push', error: null, startedAt: null, finishedAt: null });
      expect(run.jobs.map((j) => [j.name, j.needs, j.status, j.steps.map((s) => [s.index, s.name, s.status, s.exitCode])])).toEqual([
        ['build', [], 'queued', [[0, 'install', 'queued', null], [1, 'compile', 'queued', null]]],
        ['test', ['build'], 'queued', [[0, 'unit', 'queued', null]]],
      ]);
      expect(await f.store.getRun(run.id)).toEqual(run);
      expect(await f.store.getRun('run_missing')).toBeUndefined();
      expect((await f.store.createRun(runInput(p.id))).number).toBe(2);
      expect((await f.store.createRun(runInput((await seedProject(f.store)).id))).number).toBe(1);
    });

    it('assigns distinct run numbers to concurrent creators', async () => {
      const p = await seedProject(f.store);
      const runs = await Promise.all(Array.from({ length: 10 }, () => f.store.createRun(runInput(p.id))));
      expect(runs.map((r) => r.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('lists runs newest first with filters and a limit', async () => {
      const p = await seedProject(f.store);
      const first = await f.store.createRun(runInput(p.id, { commitSha: '1'.repeat(40) }));
      f.clock.advance(1000);
      const second = await f.store.createRun(runInput(p.id, { commitSha: '2'.repeat(40) }));
      await f.store.updateRun(first.id, { status: 'failed' });
      expect((await f.store.listRuns({ projectId: p.id })).map((r) => r.id)).toEqual([second.id, first.id]);
      expect((await f.store.listRuns({ projectId: p.id, limit: 1 })).map((r) => r.id)).toEqual([second.id]);
      expect((await f.store.listRuns({ commitSha: '2'.repeat(40) })).map((r) => r.id)).toEqual([second.id]);
      expect((await f.store.listRuns({ projectId: p.id, status: 'failed' })).map((r) => r.id)).toEqual([first.id]);
    });

    it('updates runs, jobs and steps; undefined leaves a field, null clears it', async () => {
      const run = await f.store.createRun(runInput((await seedProject(f.store)).id));
      const job = run.jobs[0]!;
      const step = job.steps[1]!;
      const t = f.clock.now().toISOString();
      await f.store.updateRun(run.id, { status: 'failed', error: 'boom', startedAt: t, finishedAt: t });
      await f.store.updateJob(job.id, { status: 'failed', startedAt: t, finishedAt: t });
      await f.store.updateStep(step.id, { status: 'failed', exitCode: 2, startedAt: t, finishedAt: t });
      await f.store.updateRun(run.id, { error: undefined });
      let got = (await f.store.getRun(run.id))!;
      expect(got).toMatchObject({ status: 'failed', error: 'boom', startedAt: t, finishedAt: t });
      expect(got.jobs[0]).toMatchObject({ status: 'failed', startedAt: t, finishedAt: t });
      expect(got.jobs[0]!.steps[1]).toMatchObject({ status: 'failed', exitCode: 2, startedAt: t, finishedAt: t });
      await f.store.updateRun(run.id, { error: null });
      got = (await f.store.getRun(run.id))!;
      expect(got.error).toBeNull();
    });

    it('resets a run for retry: next attempt, everything queued, logs kept', async () => {
      const run = await f.store.createRun(runInput((await seedProject(f.store)).id));
      const t = f.clock.now().toISOString();
      await f.store.updateRun(run.id, { status: 'failed', error: 'crashed', startedAt: t, finishedAt: t });
      await f.store.updateJob(run.jobs[0]!.id, { status: 'failed', startedAt: t, finishedAt: t });
      await f.store.updateStep(run.jobs[0]!.steps[0]!.id, { status: 'failed', exitCode: 1, startedAt: t, finishedAt: t });
      await f.store.appendLogs([{ runId: run.id, jobId: null, stepId: null, stream: 'system', text: 'attempt 1', ts: t }]);
      const reset = await f.store.resetRunForRetry(run.id);
      expect(reset).toMatchObject({ id: run.id, number: run.number, attempt: 2, status: 'queued', error: null, startedAt: null, finishedAt: null });
      expect(reset.jobs.flatMap((j) => [j.status, j.startedAt, j.finishedAt])).toEqual(['queued', null, null, 'queued', null, null]);
      expect(reset.jobs.flatMap((j) => j.steps.map((s) => [s.status, s.exitCode, s.startedAt]))).toEqual(run.jobs.flatMap((j) => j.steps.map(() => ['queued', null, null])));
      expect(await f.store.getRun(run.id)).toEqual(reset);
      expect((await f.store.readLogs(run.id)).map((l) => l.text)).toEqual(['attempt 1']);
      expect((await f.store.resetRunForRetry(run.id)).attempt).toBe(3);
      await expect(f.store.resetRunForRetry('run_missing')).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    });

    it('re-runs failed jobs: kept jobs keep their status, outputs and steps', async () => {
      const run = await f.store.createRun(runInput((await seedProject(f.store)).id));
      const t = f.clock.now().toISOString();
      const [ok, bad] = run.jobs as [(typeof run.jobs)[0], (typeof run.jobs)[0]];
      await f.store.updateJob(ok.id, { status: 'succeeded', startedAt: t, finishedAt: t, outputs: { v: '1' } });
      await f.store.updateStep(ok.steps[0]!.id, { status: 'succeeded', exitCode: 0, startedAt: t, finishedAt: t });
      await f.store.updateJob(bad.id, { status: 'failed', startedAt: t, finishedAt: t, outputs: { v: '2' } });
      await f.store.updateRun(run.id, { status: 'failed', finishedAt: t });
      const reset = await f.store.resetRunForRetry(run.id, { keepJobs: [ok.id] });
      expect(reset.attempt).toBe(2);
      expect(reset.jobs[0]).toMatchObject({ status: 'succeeded', outputs: { v: '1' }, startedAt: t });
      expect(reset.jobs[0]!.steps[0]).toMatchObject({ status: 'succeeded', exitCode: 0 });
      expect(reset.jobs[1]).toMatchObject({ status: 'queued', outputs: {}, startedAt: null });
    });

    it('keeps the concurrency group of a run', async () => {
      const p = await seedProject(f.store);
      const run = await f.store.createRun({ ...runInput(p.id), concurrency: { group: 'deploy-main', cancelInProgress: true } });
      expect(run.concurrency).toEqual({ group: 'deploy-main', cancelInProgress: true });
      expect((await f.store.createRun(runInput(p.id))).concurrency).toBeNull();
    });

    it('keeps the inputs of a dispatched run', async () => {
      const p = await seedProject(f.store);
      const run = await f.store.createRun({ ...runInput(p.id), trigger: 'manual', inputs: { env: 'prod', dry: true, n: 3 } });
      expect(await f.store.getRun(run.id)).toMatchObject({ trigger: 'manual', inputs: { env: 'prod', dry: true, n: 3 } });
      expect((await f.store.createRun(runInput(p.id))).inputs).toEqual({});
    });

    it('keeps the pull request a run tests', async () => {
      const p = await seedProject(f.store);
      const pullRequest = { number: 12, headRef: 'feature', baseRef: 'main', fork: true, url: null, title: 'Add a thing' };
      const run = await f.store.createRun({ ...runInput(p.id), trigger: 'pull_request', pullRequest });
      expect(await f.store.getRun(run.id)).toMatchObject({ trigger: 'pull_request', pullRequest });
      expect((await f.store.createRun(runInput(p.id))).pullRequest).toBeNull();
    });
  });

  describe('logs', () => {
    const f = useStore(newStore);
    const line = (runId: string, text: string): Omit<LogLine, 'seq'> => ({ runId, jobId: null, stepId: null, stream: 'stdout', text, ts: f.clock.now().toISOString() });

    it('assigns seq per run and reads after a seq', async () => {
      const p = await seedProject(f.store);
      const a = await f.store.createRun(runInput(p.id));
      const b = await f.store.createRun(runInput(p.id));
      const job = a.jobs[0]!;
      await f.store.appendLogs([{ ...line(a.id, 'a1'), jobId: job.id, stepId: job.steps[0]!.id, stream: 'stderr' }, line(b.id, 'b1'), line(a.id, 'a2')]);
      await f.store.appendLogs([line(a.id, 'a3')]);
      await f.store.appendLogs([]);
      const logs = await f.store.readLogs(a.id);
      expect(logs.map((l) => [l.seq, l.text])).toEqual([[1, 'a1'], [2, 'a2'], [3, 'a3']]);
      expect(logs[0]).toMatchObject({ runId: a.id, jobId: job.id, stepId: job.steps[0]!.id, stream: 'stderr' });
      expect((await f.store.readLogs(b.id)).map((l) => [l.seq, l.text])).toEqual([[1, 'b1']]);
      expect((await f.store.readLogs(a.id, { afterSeq: 1 })).map((l) => l.seq)).toEqual([2, 3]);
      expect((await f.store.readLogs(a.id, { afterSeq: 0, limit: 2 })).map((l) => l.seq)).toEqual([1, 2]);
      expect(await f.store.readLogs(a.id, { afterSeq: 3 })).toEqual([]);
    });

    it('keeps seq unique and gap-free under concurrent appenders', async () => {
      const run = await f.store.createRun(runInput((await seedProject(f.store)).id));
      await Promise.all(Array.from({ length: 10 }, (_, i) => f.store.appendLogs([line(run.id, `${i}.1`), line(run.id, `${i}.2`)])));
      const logs = await f.store.readLogs(run.id);
      expect(logs.map((l) => l.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // A batch is written as one block, in order.
      for (let i = 0; i < 20; i += 2) expect(logs[i + 1]!.text).toBe(logs[i]!.text.replace('.1', '.2'));
    });
  });
}
