import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isFinished, jobOrder, parseWorkflow, SlipwayError, type Job, type Project, type RunDetail, type Workflow } from '@slipway/core';
import { nowIso, sourceRef, type EngineContext } from '../context.js';
import type { JobHandler } from '../scheduler/worker.js';
import { createLogSink } from './log-sink.js';
import { runJob } from './run-job.js';

/**
 * Executes one Run: checks out the commit into a fresh workspace and runs its jobs in `needs` order.
 * A run found `running` was interrupted (the server died): that attempt is marked failed and the run is retried.
 */
export function createRunHandler(ctx: EngineContext): JobHandler {
  return async (item, signal) => {
    const runId = String(item.payload.runId);
    let run = await ctx.store.getRun(runId);
    if (!run) return;
    const project = await ctx.store.getProject(run.projectId);
    if (!project) return;
    if (isFinished(run.status)) {
      await ctx.enqueue('release.evaluate', { projectId: project.id, sha: run.commitSha }, { dedupeKey: `release:${project.id}:${run.commitSha}` });
      return;
    }
    const log = createLogSink(ctx.store, run.id, (t) => t);
    if (run.status === 'running') {
      log.write({ jobId: null, stepId: null, stream: 'system', text: `attempt ${run.attempt} was interrupted (the server stopped); retrying as attempt ${run.attempt + 1}` });
      await log.flush();
      run = await ctx.store.resetRunForRetry(run.id);
      await ctx.bus.emit({ kind: 'run.retried', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} (${run.workflowName}) retried as attempt ${run.attempt} after an interruption`, data: { attempt: run.attempt } });
    }
    const started = Date.now();
    await ctx.store.updateRun(run.id, { status: 'running', startedAt: nowIso(ctx) });
    await ctx.bus.emit({ kind: 'run.started', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} ${run.workflowName} started at ${run.commitSha.slice(0, 7)}`, data: { attempt: run.attempt } });
    const workspace = join(ctx.dataDir, 'workspaces', `${run.id}-${run.attempt}`);
    let error: string | null = null;
    let ok = false;
    try {
      await rm(workspace, { recursive: true, force: true });
      await ctx.source.checkout(sourceRef(project), run.commitSha, workspace);
      const wf = await loadWorkflow(ctx, project, run);
      ok = await runJobs(ctx, project, run, wf, workspace, log, signal);
      if (!ok) error = 'a job failed';
    } catch (err) {
      if (signal.aborted) throw err;
      error = err instanceof SlipwayError ? err.format() : String((err as Error).message ?? err);
      log.write({ jobId: null, stepId: null, stream: 'system', text: `run failed: ${error}` });
    } finally {
      await log.flush();
      await rm(workspace, { recursive: true, force: true }).catch(() => {});
      await rm(`${workspace}.tmp`, { recursive: true, force: true }).catch(() => {});
    }
    const status = ok ? 'succeeded' : 'failed';
    const durationMs = Date.now() - started;
    await ctx.store.updateRun(run.id, { status, error, finishedAt: nowIso(ctx) });
    await ctx.bus.emit({
      kind: ok ? 'run.succeeded' : 'run.failed',
      projectId: project.id,
      subject: `run:${run.id}`,
      message: `run #${run.number} ${run.workflowName} ${status} in ${(durationMs / 1000).toFixed(1)}s${error ? `: ${error}` : ''}`,
      data: { durationMs, workflow: run.workflow, commitSha: run.commitSha },
    });
    await ctx.enqueue('release.evaluate', { projectId: project.id, sha: run.commitSha }, { dedupeKey: `release:${project.id}:${run.commitSha}` });
  };
}

async function loadWorkflow(ctx: EngineContext, project: Project, run: RunDetail): Promise<Workflow> {
  const text = await ctx.source.readFile(sourceRef(project), run.commitSha, run.workflow);
  if (text === undefined) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${run.workflow} does not exist at ${run.commitSha.slice(0, 7)}`);
  const parsed = parseWorkflow(text, run.workflow);
  if (!parsed.value) throw parsed.errors[0]!;
  return parsed.value;
}

async function runJobs(ctx: EngineContext, project: Project, run: RunDetail, wf: Workflow, workspace: string, log: ReturnType<typeof createLogSink>, signal: AbortSignal): Promise<boolean> {
  const byName = new Map<string, Job>(run.jobs.map((j) => [j.name, j]));
  const outcome = new Map<string, boolean>();
  for (const wave of jobOrder(wf)) {
    await Promise.all(
      wave.map(async (name) => {
        const job = byName.get(name)!;
        const needsOk = (wf.jobs[name]!.needs ?? []).every((n) => outcome.get(n) === true);
        if (!needsOk) {
          await ctx.store.updateJob(job.id, { status: 'skipped' });
          for (const s of job.steps) await ctx.store.updateStep(s.id, { status: 'skipped' });
          outcome.set(name, false);
          return;
        }
        outcome.set(name, await runJob(ctx, project, run, wf, job, workspace, log, signal));
      }),
    );
  }
  return [...outcome.values()].every(Boolean);
}
