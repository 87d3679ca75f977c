import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isFinished, parseWorkflow, SlipwayError, toSlipwayError, type Project, type RunDetail, type Workflow } from '@slipway/core';
import { runWorkflow, type GithubRun, type WorkflowResult } from '@slipway/runner';
import { runnerStorage } from '../blobs/runner-storage.js';
import { nowIso, sourceRef, type EngineContext } from '../context.js';
import { DeferItem, type JobHandler } from '../scheduler/worker.js';
import { completedJobs } from './completed-jobs.js';
import { waitForConcurrencyGroup } from './concurrency.js';
import { createLogSink } from './log-sink.js';
import { finishCancelled, watchCancellation } from './cancellation.js';
import { createStoreReporter } from './store-reporter.js';
import { executorForJob } from './job-executor.js';

/**
 * Executes one Run with the workflow runner: checks out the commit, runs the jobs (a DAG), and records jobs, steps, logs and
 * events as they happen. A run found `running` was interrupted (the server died): it is retried as the next attempt.
 * Jobs kept from an earlier attempt (re-run failed jobs) do not run again; their outputs feed `needs`.
 */
export function createRunHandler(ctx: EngineContext): JobHandler {
  return async (item, signal) => {
    const runId = String(item.payload.runId);
    let run = await ctx.store.getRun(runId);
    if (!run) return;
    const project = await ctx.store.getProject(run.projectId);
    if (!project) return;
    if (isFinished(run.status)) {
      if (run.trigger !== 'pull_request') await ctx.enqueue('release.evaluate', { projectId: project.id, sha: run.commitSha }, { dedupeKey: `release:${project.id}:${run.commitSha}` });
      return;
    }
    const log = createLogSink(ctx.store, run.id);
    if (run.status === 'cancelling') {
      // Cancelled while it ran, and the server stopped before the run finished stopping: there is nothing left to stop.
      await finishCancelled(ctx, run, run.error ?? 'cancelled', 'while the server was stopped');
      return;
    }
    if (run.status === 'running') {
      log.write({ jobId: null, stepId: null, stream: 'system', text: `attempt ${run.attempt} was interrupted (the server stopped); retrying as attempt ${run.attempt + 1}` });
      await log.flush();
      run = await ctx.store.resetRunForRetry(run.id, { keepJobs: run.jobs.filter((j) => j.status === 'succeeded').map((j) => j.id) });
      await ctx.bus.emit({ kind: 'run.retried', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} (${run.workflowName}) retried as attempt ${run.attempt} after an interruption`, data: { attempt: run.attempt } });
    }
    const waitMs = await waitForConcurrencyGroup(ctx, project, run);
    if (waitMs > 0) throw new DeferItem(waitMs);
    if (isFinished((await ctx.store.getRun(run.id))?.status ?? 'cancelled')) return;

    const started = Date.now();
    await ctx.store.updateRun(run.id, { status: 'running', startedAt: nowIso(ctx) });
    await ctx.bus.emit({ kind: 'run.started', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} ${run.workflowName} started at ${run.commitSha.slice(0, 7)}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`, data: { attempt: run.attempt } });
    const cancel = watchCancellation(ctx, run.id, signal);
    const workRoot = join(ctx.dataDir, 'workspaces', `${run.id}-${run.attempt}`);
    let result: WorkflowResult | undefined;
    let error: string | null = null;
    let workflow: Workflow | undefined;
    try {
      await rm(workRoot, { recursive: true, force: true });
      const repoDir = join(workRoot, '_source');
      // A run queued from a webhook payload may start before commit.process fetched its commit (ADR 014).
      if (run.trigger === 'push' && run.branch === project.branch && !(await ctx.source.hasCommit(sourceRef(project), run.commitSha))) await ctx.fetchLatest(sourceRef(project));
      await ctx.source.checkout(sourceRef(project), run.commitSha, repoDir);
      workflow = await loadWorkflow(ctx, project, run);
      const reporter = createStoreReporter(ctx, project, run, workflow, log);
      try {
        result = await runWorkflow({
          workflow,
          file: run.workflow,
          github: githubContext(ctx, project, run),
          vars: {},
          inputs: run.inputs,
          executor: ctx.executor,
          executorForJob: (job) => executorForJob(ctx, job),
          workRoot,
          repoDir,
          seedWorkspace: true,
          checkout: async (dest) => {
            await rm(dest, { recursive: true, force: true });
            await ctx.source.checkout(sourceRef(project), run!.commitSha, dest);
          },
          secrets: (names) => ctx.secrets?.(project.id, names) ?? Promise.resolve({}),
          ...(run.pullRequest?.fork ? { secretsWithheld: `pull request #${run.pullRequest.number} comes from a fork` } : {}),
          ...(ctx.ciStorage ? { storage: runnerStorage(ctx.ciStorage(project.id), run.id) } : {}),
          actionCacheDir: ctx.actionCacheDir ?? join(ctx.dataDir, 'actions'),
          completed: completedJobs(workflow, run),
          reporter,
          signal: cancel.signal,
        });
      } finally {
        await reporter.finish(cancel.signal.aborted);
      }
      if (result.conclusion === 'failure') error = failedJobs(result);
    } catch (err) {
      if (signal.aborted) throw err;
      error = toSlipwayError(err).format();
      log.write({ jobId: null, stepId: null, stream: 'system', text: `run failed: ${error}` });
    } finally {
      cancel.dispose();
      await log.flush();
      await rm(workRoot, { recursive: true, force: true }).catch(() => {});
    }
    if (signal.aborted) throw signal.reason ?? new SlipwayError('SLW_LEASE_LOST', 'the run was interrupted');
    const cancelled = cancel.requested();
    const status = cancelled ? 'cancelled' : result?.conclusion === 'success' ? 'succeeded' : 'failed';
    const durationMs = Date.now() - started;
    await ctx.store.updateRun(run.id, { status, error: cancelled ? cancel.reason() : error, finishedAt: nowIso(ctx) });
    await ctx.bus.emit({
      kind: status === 'succeeded' ? 'run.succeeded' : status === 'cancelled' ? 'run.cancelled' : 'run.failed',
      projectId: project.id,
      subject: `run:${run.id}`,
      message: `run #${run.number} ${run.workflowName} ${status} in ${(durationMs / 1000).toFixed(1)}s${cancelled ? `: ${cancel.reason()}` : error ? `: ${error}` : ''}`,
      data: { durationMs, workflow: run.workflow, commitSha: run.commitSha, attempt: run.attempt },
    });
    // Only the release branch makes releases: not a pull request's commit, nor a CI branch's.
    if (run.trigger !== 'pull_request' && run.branch === project.branch) await ctx.enqueue('release.evaluate', { projectId: project.id, sha: run.commitSha }, { dedupeKey: `release:${project.id}:${run.commitSha}` });
  };
}

async function loadWorkflow(ctx: EngineContext, project: Project, run: RunDetail): Promise<Workflow> {
  const text = await ctx.source.readFile(sourceRef(project), run.commitSha, run.workflow);
  if (text === undefined) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${run.workflow} does not exist at ${run.commitSha.slice(0, 7)}`);
  const parsed = parseWorkflow(text, run.workflow);
  if (!parsed.value) throw parsed.errors[0]!;
  return parsed.value;
}

function githubContext(ctx: EngineContext, project: Project, run: RunDetail): GithubRun {
  const pr = run.pullRequest;
  const ref = pr ? `refs/pull/${pr.number}/merge` : `refs/heads/${run.branch}`;
  const eventNames = { push: 'push', retry: 'push', pull_request: 'pull_request', manual: 'workflow_dispatch', schedule: 'schedule' } as const;
  const eventName = eventNames[run.trigger];
  const repository = { name: project.name, full_name: project.name };
  const pullRequest = pr && { number: pr.number, title: pr.title, html_url: pr.url, head: { ref: pr.headRef, sha: run.commitSha, repo: { fork: pr.fork } }, base: { ref: pr.baseRef } };
  const event = eventName === 'push' ? { ref, after: run.commitSha, repository } : pullRequest ? { number: pr.number, pull_request: pullRequest, repository } : { ref, repository };
  return {
    repository: project.name,
    sha: run.commitSha,
    ref,
    refName: pr ? `${pr.number}/merge` : run.branch,
    ...(pr ? { headRef: pr.headRef, baseRef: pr.baseRef } : {}),
    runId: run.id,
    runNumber: run.number,
    runAttempt: run.attempt,
    actor: 'slipway',
    eventName,
    // workflow_dispatch's event.inputs are filled by the runner, from the checked inputs.
    event: event as unknown as GithubRun['event'],
    serverUrl: ctx.serverUrl?.() ?? '',
  };
}

function failedJobs(result: WorkflowResult): string {
  const failed = result.jobs.filter((j) => j.conclusion === 'failure');
  if (failed.length === 0) return 'the run failed';
  return `job${failed.length === 1 ? '' : 's'} ${failed.map((j) => j.job.key).join(', ')} failed${failed[0]!.error ? `: ${failed[0]!.error}` : ''}`;
}
