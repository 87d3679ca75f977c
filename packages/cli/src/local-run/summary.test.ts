import { describe, expect, it } from 'vitest';
import { rerunCommand, shellQuote } from './rerun-command.js';
import { createRunRecorder } from './run-record.js';
import { summaryJson, summaryLines, type WorkflowOutcome } from './summary.js';
import { formatDuration } from './format.js';
import { playRun } from './testdata/play-run.js';

const plain = (s: string) => s;
const paint = { red: plain, green: plain, yellow: plain, grey: plain, bold: plain };
const file = { abs: '/r/.slipway/workflows/ci.yml', rel: '.slipway/workflows/ci.yml', shown: '.slipway/workflows/ci.yml' };

function outcome(): WorkflowOutcome {
  const rec = createRunRecorder();
  playRun(rec.reporter);
  return { file, name: 'CI', event: 'push', conclusion: 'failure', durationMs: 4500, jobs: rec.jobs() };
}
const rerun = (f: typeof file, job: string) => rerunCommand(f.shown, job, { inputs: [], vars: [], secretFiles: ['.env'], secretNames: [] });

describe('summaryLines', () => {
  it('tables the jobs, then the failing step, its tail and the re-run command, then the total', () => {
    const lines = summaryLines([outcome()], 4600, rerun, paint);
    expect(lines).toContain('  build   ✓ success  1.5s');
    expect(lines).toContain('  deploy  - skipped  -');
    expect(lines).toContain('✗ test failed at step "Unit" (exit code 2)');
    expect(lines).toContain('  │ line 25');
    expect(lines).not.toContain('  │ line 5');
    expect(lines).toContain('  slipway run .slipway/workflows/ci.yml -j test --secret-file .env');
    expect(lines.at(-1)).toBe('✗ 1 of 3 jobs failed in 4.6s');
  });
});

describe('summaryJson', () => {
  it('holds jobs with conclusion, duration, outputs, steps and the failure', () => {
    const doc = summaryJson([outcome()], 4600, rerun);
    expect(doc.conclusion).toBe('failure');
    const [build, test] = doc.workflows[0]!.jobs;
    expect(build).toMatchObject({ key: 'build', conclusion: 'success', durationMs: 1500, outputs: { v: '1' }, failure: null });
    expect(test!.steps.map((s) => [s.name, s.outcome, s.conclusion])).toEqual([['Lint', 'failure', 'success'], ['Unit', 'failure', 'failure']]);
    expect(test!.failure).toMatchObject({ step: 'Unit', exitCode: 2, rerun: 'slipway run .slipway/workflows/ci.yml -j test --secret-file .env' });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('rerunCommand', () => {
  it('repeats the event, inputs, variables and secrets, quoting for the shell and never printing a secret value', () => {
    expect(rerunCommand('my ci.yml', 'test', { event: 'workflow_dispatch', inputs: ["msg=it's"], vars: ['A=1'], secretFiles: ['.env'], secretNames: ['TOKEN'], executor: 'host' })).toBe(
      `slipway run 'my ci.yml' -j test --event workflow_dispatch --input 'msg=it'\\''s' --var A=1 --secret-file .env --secret TOKEN --executor host`,
    );
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('x=1,y')).toBe('x=1,y');
  });
});

describe('formatDuration', () => {
  it.each([[0, '0ms'], [999, '999ms'], [1000, '1.0s'], [65_000, '1m05s'], [3_720_000, '1h02m']])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
