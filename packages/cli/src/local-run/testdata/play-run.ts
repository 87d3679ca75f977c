import type { JobInstance, RunnerReporter, StepInstance, StepResult } from '@slipway/runner';

/** Test helpers: a job, a step and a step result as the runner reports them. */
export const job = (key: string, jobId = key): JobInstance => ({ jobId, key, name: key, matrix: null });
export const step = (index: number, name: string): StepInstance => ({ index, id: null, name, phase: 'main' });
export const stepResult = (conclusion: StepResult['conclusion'], exitCode: number | null = conclusion === 'failure' ? 1 : 0, outcome = conclusion): StepResult => ({ outcome, conclusion, exitCode, outputs: {}, durationMs: 1200 });

/** Plays a small run into a reporter: `build` succeeds, `test` fails at its second step after 25 lines, `deploy` is skipped. */
export function playRun(r: RunnerReporter): void {
  const build = job('build');
  const test = job('test');
  const deploy = job('deploy');
  r.jobQueued?.(build);
  r.jobStarted(build);
  r.stepStarted(build, step(0, 'Compile'));
  r.log(build, step(0, 'Compile'), { stream: 'stdout', text: 'compiled' });
  r.stepFinished(build, step(0, 'Compile'), stepResult('success'));
  r.jobFinished({ job: build, conclusion: 'success', outputs: { v: '1' }, durationMs: 1500, error: null });
  r.jobStarted(test);
  r.stepStarted(test, step(0, 'Lint'));
  r.stepFinished(test, step(0, 'Lint'), stepResult('success', 1, 'failure'));
  r.stepStarted(test, step(1, 'Unit'));
  for (let i = 1; i <= 25; i++) r.log(test, step(1, 'Unit'), { stream: 'stdout', text: `line ${i}` });
  r.stepFinished(test, step(1, 'Unit'), stepResult('failure', 2));
  r.jobFinished({ job: test, conclusion: 'failure', outputs: {}, durationMs: 3000, error: 'a step failed' });
  r.jobQueued?.(deploy);
  r.log(deploy, null, { stream: 'system', text: 'skipped: a job it needs did not succeed' });
  r.jobFinished({ job: deploy, conclusion: 'skipped', outputs: {}, durationMs: 0, error: null });
}
