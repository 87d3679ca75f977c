import type { Conclusion } from '@slipway/runner';
import type { WorkflowFile } from '../workflow-files.js';
import { formatDuration, statusSymbol } from './format.js';
import { jobFailure, topLevelJobId, type JobRecord, type Status } from './run-record.js';

type Paint = (s: string) => string;

/** One workflow of a local run, after it ran. */
export interface WorkflowOutcome {
  file: WorkflowFile;
  name: string;
  event: string;
  conclusion: Conclusion;
  durationMs: number;
  jobs: JobRecord[];
}

const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');

/** Rows as aligned columns. Pure. */
export function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => strip(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - strip(c).length))).join('  ').trimEnd());
}

/**
 * The end of a local run as text: per workflow a table of jobs with conclusion and duration, then for each failed job the
 * step it failed at, that step's last lines and the command that re-runs only that job, then one line with the total. Pure.
 */
export function summaryLines(outcomes: readonly WorkflowOutcome[], totalMs: number, rerun: (workflow: WorkflowFile, job: string) => string, paint: { red: Paint; green: Paint; yellow: Paint; grey: Paint; bold: Paint }): string[] {
  const mark = (s: Status) => (s === 'success' ? paint.green : s === 'failure' ? paint.red : paint.yellow)(`${statusSymbol(s)} ${s}`);
  const out: string[] = [''];
  for (const o of outcomes) {
    out.push(paint.bold(`${o.name} (${o.file.shown}, ${o.event})`));
    const rows = [[paint.grey('JOB'), paint.grey('RESULT'), paint.grey('DURATION')], ...o.jobs.map((j) => [`  ${j.job.key}`, mark(j.status), j.result && j.status !== 'skipped' ? formatDuration(j.result.durationMs) : '-'])];
    rows[0]![0] = `  ${rows[0]![0]}`;
    out.push(...alignColumns(rows));
  }
  for (const o of outcomes) {
    for (const j of o.jobs) {
      const f = jobFailure(j);
      if (!f) continue;
      out.push('');
      // A job that failed outside its steps (setup, a missing secret, Docker) logged why: the tail says it.
      const where = f.step ? ` at step "${f.step}"${f.exitCode !== null ? ` (exit code ${f.exitCode})` : ''}` : f.tail.length === 0 && f.error ? `: ${f.error}` : j.steps.length === 0 ? ' before its first step' : ' outside its steps';
      out.push(paint.red(`${statusSymbol('failure')} ${j.job.key} failed${where}`));
      if (f.tail.length > 0) {
        out.push(paint.grey(f.step ? `  last ${f.tail.length} line${f.tail.length === 1 ? '' : 's'} of the step:` : '  its log:'));
        out.push(...f.tail.map((l) => `  │ ${l}`));
      }
      out.push(paint.grey('  re-run only this job:'));
      out.push(`  ${rerun(o.file, topLevelJobId(j.job))}`);
    }
  }
  const all = outcomes.flatMap((o) => o.jobs);
  const failed = all.filter((j) => j.status === 'failure').length;
  const cancelled = all.filter((j) => j.status === 'cancelled').length;
  out.push('');
  if (failed > 0) out.push(paint.red(paint.bold(`${statusSymbol('failure')} ${failed} of ${all.length} job${all.length === 1 ? '' : 's'} failed in ${formatDuration(totalMs)}`)));
  else if (cancelled > 0 || outcomes.some((o) => o.conclusion === 'cancelled')) out.push(paint.yellow(paint.bold(`${statusSymbol('cancelled')} cancelled after ${formatDuration(totalMs)}`)));
  else out.push(paint.green(paint.bold(`${statusSymbol('success')} ${all.length} job${all.length === 1 ? '' : 's'} succeeded in ${formatDuration(totalMs)}`)));
  return out;
}

/** The one JSON document of `slipway run --json`. Pure. */
export function summaryJson(outcomes: readonly WorkflowOutcome[], totalMs: number, rerun: (workflow: WorkflowFile, job: string) => string) {
  const conclusion: Conclusion = outcomes.some((o) => o.conclusion === 'failure') ? 'failure' : outcomes.some((o) => o.conclusion === 'cancelled') ? 'cancelled' : 'success';
  return {
    conclusion,
    durationMs: totalMs,
    workflows: outcomes.map((o) => ({
      file: o.file.rel,
      name: o.name,
      event: o.event,
      conclusion: o.conclusion,
      durationMs: o.durationMs,
      jobs: o.jobs.map((j) => {
        const f = jobFailure(j);
        return {
          key: j.job.key,
          id: j.job.jobId,
          name: j.job.name,
          matrix: j.job.matrix,
          conclusion: j.status,
          durationMs: j.result?.durationMs ?? 0,
          outputs: j.result?.outputs ?? {},
          error: j.result?.error ?? null,
          steps: j.steps.map((s) => ({
            index: s.step.index,
            id: s.step.id,
            name: s.step.name,
            phase: s.step.phase,
            outcome: s.result?.outcome ?? s.status,
            conclusion: s.result?.conclusion ?? s.status,
            exitCode: s.result?.exitCode ?? null,
            durationMs: s.result?.durationMs ?? 0,
          })),
          failure: f ? { ...f, rerun: rerun(o.file, topLevelJobId(j.job)) } : null,
        };
      }),
    })),
  };
}
