import type { Job, Project, RunDetail, Step, Workflow } from '@slipway/core';
import type { Conclusion, JobInstance, RunnerReporter, StepInstance } from '@slipway/runner';
import { nowIso, type EngineContext } from '../context.js';
import type { LogSink } from './log-sink.js';

const jobStatus = { success: 'succeeded', failure: 'failed', cancelled: 'cancelled', skipped: 'skipped' } as const satisfies Record<Conclusion, Job['status']>;

export interface StoreReporter extends RunnerReporter {
  /** Waits for every write so far; then marks what never ran (jobs and steps still queued) as skipped or cancelled. */
  finish(cancelled: boolean): Promise<void>;
}

/**
 * Writes what the runner reports into the run's rows: job and step status and timings, job outputs, log lines and job events.
 * The run was created with one row per workflow job; a matrix renames that row to its first combination and adds the others,
 * and jobs of called workflows are added as they start. Writes are chained, so that they land in the order they happened.
 */
export function createStoreReporter(ctx: EngineContext, project: Project, run: RunDetail, workflow: Workflow, log: LogSink): StoreReporter {
  const rows = new Map<string, Job>(run.jobs.map((j) => [j.name, j]));
  const claimed = new Set<string>();
  const resolved = new Map<string, Promise<Job>>();
  let chain: Promise<unknown> = Promise.resolve();
  const later = (fn: () => Promise<unknown>) => {
    chain = chain.then(fn).catch((err: unknown) => ctx.logger.warn({ run: run.id, err: String(err) }, 'could not record runner progress'));
  };

  const rowOf = (job: JobInstance): Promise<Job> => {
    let row = resolved.get(job.key);
    if (!row) {
      row = findOrCreate(job);
      resolved.set(job.key, row);
    }
    return row;
  };
  const findOrCreate = async (job: JobInstance): Promise<Job> => {
    const existing = rows.get(job.key);
    if (existing) return existing;
    const placeholder = rows.get(job.jobId);
    if (placeholder && job.key.startsWith(`${job.jobId} (`) && !claimed.has(job.jobId) && !resolved.has(job.jobId)) {
      claimed.add(job.jobId);
      await ctx.store.updateJob(placeholder.id, { name: job.key });
      const renamed = { ...placeholder, name: job.key };
      rows.delete(job.jobId);
      rows.set(job.key, renamed);
      return renamed;
    }
    const spec = workflow.jobs[job.jobId] as { needs?: string[] } | undefined;
    const added = await ctx.store.addJob(run.id, { name: job.key, needs: job.key.startsWith(job.jobId) ? (spec?.needs ?? []) : [], steps: [] });
    rows.set(job.key, added);
    return added;
  };
  const stepOf = async (row: Job, step: StepInstance): Promise<Step> => {
    const existing = row.steps.find((s) => s.index === step.index);
    if (existing) return existing;
    const added = await ctx.store.addStep(row.id, { index: step.index, name: step.name });
    row.steps.push(added);
    return added;
  };
  const write = (row: Job, step: Step | null, stream: 'stdout' | 'stderr' | 'system', text: string) => log.write({ jobId: row.id, stepId: step?.id ?? null, stream, text });

  return {
    jobQueued(job) {
      later(() => rowOf(job));
    },
    jobStarted(job) {
      later(async () => {
        const row = await rowOf(job);
        row.status = 'running';
        await ctx.store.updateJob(row.id, { status: 'running', startedAt: nowIso(ctx) });
      });
    },
    jobFinished(result) {
      later(async () => {
        const row = await rowOf(result.job);
        const status = jobStatus[result.conclusion];
        await ctx.store.updateJob(row.id, { status, finishedAt: nowIso(ctx), outputs: result.outputs });
        row.status = status;
        for (const s of row.steps.filter((x) => x.status === 'queued' || x.status === 'running')) {
          await ctx.store.updateStep(s.id, { status: result.conclusion === 'cancelled' ? 'cancelled' : 'skipped' });
        }
        if (result.conclusion !== 'success' && result.conclusion !== 'failure') return;
        await ctx.bus.emit({
          kind: result.conclusion === 'success' ? 'job.succeeded' : 'job.failed',
          projectId: project.id,
          subject: `run:${run.id}`,
          message: `job ${result.job.name} of run #${run.number} ${status} in ${(result.durationMs / 1000).toFixed(1)}s${result.error ? `: ${result.error}` : ''}`,
          data: { job: result.job.key, durationMs: result.durationMs },
        });
      });
    },
    stepStarted(job, step) {
      later(async () => {
        const s = await stepOf(await rowOf(job), step);
        s.status = 'running';
        await ctx.store.updateStep(s.id, { status: 'running', startedAt: nowIso(ctx) });
      });
    },
    stepFinished(job, step, result) {
      later(async () => {
        const s = await stepOf(await rowOf(job), step);
        // The outcome, before continue-on-error: a step that failed shows as failed even when its job went on.
        s.status = jobStatus[result.outcome];
        await ctx.store.updateStep(s.id, { status: s.status, exitCode: result.exitCode, finishedAt: nowIso(ctx) });
      });
    },
    log(job, step, line) {
      later(async () => {
        const row = await rowOf(job);
        write(row, step ? await stepOf(row, step) : null, line.stream, line.text);
      });
    },
    annotation(job, step, a) {
      later(async () => {
        const row = await rowOf(job);
        const where = a.file ? ` (${a.file}${a.line ? `:${a.line}${a.col ? `:${a.col}` : ''}` : ''})` : '';
        write(row, step ? await stepOf(row, step) : null, 'system', `${a.level}: ${a.title ? `${a.title}: ` : ''}${a.message}${where}`);
      });
    },
    summary(job, step, markdown) {
      later(async () => {
        const row = await rowOf(job);
        const s = await stepOf(row, step);
        for (const line of markdown.replace(/\n$/, '').split('\n')) write(row, s, 'system', `summary │ ${line}`);
      });
    },
    async finish(cancelled) {
      await chain;
      const status = cancelled ? 'cancelled' : 'skipped';
      // A job that calls a reusable workflow concludes as the jobs it called.
      for (const [id, spec] of Object.entries(workflow.jobs)) {
        const row = rows.get(id);
        if (!row || typeof (spec as { uses?: unknown }).uses !== 'string' || row.status !== 'queued') continue;
        const called = [...rows.values()].filter((r) => r.name.startsWith(`${id} / `)).map((r) => r.status);
        if (called.length === 0) continue;
        row.status = called.includes('failed') ? 'failed' : called.includes('cancelled') ? 'cancelled' : called.every((s) => s === 'skipped') ? 'skipped' : 'succeeded';
        await ctx.store.updateJob(row.id, { status: row.status, finishedAt: nowIso(ctx) });
      }
      for (const row of rows.values()) {
        if (row.status === 'queued' || row.status === 'running') await ctx.store.updateJob(row.id, { status, finishedAt: nowIso(ctx) });
        for (const s of row.steps.filter((x) => x.status === 'queued' || x.status === 'running')) await ctx.store.updateStep(s.id, { status });
      }
      await log.flush();
    },
  };
}
