import { describe, expect, it } from 'vitest';
import { createRunRecorder, jobFailure, tailSize, topLevelJobId } from './run-record.js';
import { job, playRun } from './testdata/play-run.js';

describe('createRunRecorder', () => {
  it('keeps each job, its steps and the last lines of each step', () => {
    const events: string[] = [];
    const rec = createRunRecorder((e) => events.push(`${e.kind}:${e.job.job.key}`));
    playRun(rec.reporter);
    const [build, test, deploy] = rec.jobs();
    expect(rec.jobs().map((j) => [j.job.key, j.status])).toEqual([['build', 'success'], ['test', 'failure'], ['deploy', 'skipped']]);
    expect(build!.steps[0]!.tail).toEqual(['compiled']);
    expect(test!.steps[1]!.tail).toHaveLength(tailSize);
    expect(test!.steps[1]!.tail.at(-1)).toBe('line 25');
    expect(deploy!.tail).toEqual(['skipped: a job it needs did not succeed']);
    expect(events.filter((e) => e.startsWith('log:test'))).toHaveLength(25);
  });

  it('finds the failing step, not one that continued on error', () => {
    const rec = createRunRecorder();
    playRun(rec.reporter);
    const [build, test] = rec.jobs();
    expect(jobFailure(build!)).toBeNull();
    expect(jobFailure(test!)).toMatchObject({ step: 'Unit', exitCode: 2, error: 'a step failed' });
    expect(jobFailure(test!)!.tail[0]).toBe('line 6');
  });

  it('falls back to the lines outside steps when the job failed before its steps', () => {
    const rec = createRunRecorder();
    const j = job('db');
    rec.reporter.jobStarted(j);
    rec.reporter.log(j, null, { stream: 'system', text: 'SLW_SECRET_MISSING the job needs secret X' });
    rec.reporter.jobFinished({ job: j, conclusion: 'failure', outputs: {}, durationMs: 5, error: 'the job needs secret X' });
    expect(jobFailure(rec.jobs()[0]!)).toEqual({ step: null, exitCode: null, error: 'the job needs secret X', tail: ['SLW_SECRET_MISSING the job needs secret X'] });
  });
});

describe('topLevelJobId', () => {
  it.each([
    [{ jobId: 'test', key: 'test (node 20)' }, 'test'],
    [{ jobId: 'build', key: 'call / build' }, 'call'],
    [{ jobId: 'build', key: 'build' }, 'build'],
  ])('%o → %s', (j, expected) => {
    expect(topLevelJobId({ ...j, name: j.key, matrix: null })).toBe(expected);
  });
});
