import { isFinished, SlipwayError, type Run, type RunDetail } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';

/** How often a running run checks the store for a cancel made by another server. */
const pollMs = 1000;

/**
 * The cancel switch of one running run: a cancel on this server aborts at once; one made on another server (it sets the
 * run's status to cancelled in the store) is seen within a second. The worker's own abort (lease lost, shutdown) also
 * stops the run, but is not a cancel: the run is retried.
 */
export function watchCancellation(ctx: EngineContext, runId: string, workerSignal: AbortSignal) {
  const controller = new AbortController();
  let reason: string | null = null;
  const cancel = (why: string) => {
    if (reason !== null) return;
    reason = why;
    controller.abort(new SlipwayError('SLW_CONFLICT', why));
  };
  const onWorkerAbort = () => controller.abort(workerSignal.reason);
  workerSignal.addEventListener('abort', onWorkerAbort, { once: true });
  ctx.cancellers.set(runId, cancel);
  const timer = setInterval(() => {
    ctx.store.getRun(runId).then(
      (r) => {
        if (r?.status === 'cancelling' || r?.status === 'cancelled') cancel(r.error ?? 'cancelled');
      },
      () => {},
    );
  }, pollMs);
  timer.unref();
  return {
    signal: controller.signal,
    requested: () => reason !== null,
    reason: () => reason ?? 'cancelled',
    dispose() {
      clearInterval(timer);
      workerSignal.removeEventListener('abort', onWorkerAbort);
      if (ctx.cancellers.get(runId) === cancel) ctx.cancellers.delete(runId);
    },
  };
}

/**
 * Cancels a queued or running run. A queued run is finished here; a running one stops its steps (processes are killed,
 * job containers and networks removed) and finishes as cancelled.
 */
export async function cancelRun(ctx: EngineContext, runId: string, reason: string): Promise<Run> {
  const run = await ctx.store.getRun(runId);
  if (!run) throw new SlipwayError('SLW_NOT_FOUND', `run ${runId} not found`);
  if (isFinished(run.status) || run.status === 'cancelling') {
    throw new SlipwayError('SLW_CONFLICT', `run #${run.number} has already ${run.status === 'cancelled' || run.status === 'cancelling' ? 'been cancelled' : run.status}`, { hint: 'Re-run it instead: `slipway runs rerun <run>`.' });
  }
  if (run.status === 'queued') {
    await finishCancelled(ctx, run, reason, 'before it started');
  } else {
    // The handler running it (here, or on another server within a second) stops the steps, removes what they made,
    // and only then records the run as cancelled.
    await ctx.store.updateRun(run.id, { status: 'cancelling', error: reason });
    ctx.cancellers.get(run.id)?.(reason);
  }
  return (await ctx.store.getRun(run.id))!;
}

/** Records a run that will not run (any more) as cancelled: its unfinished jobs and steps too. */
export async function finishCancelled(ctx: EngineContext, run: RunDetail, reason: string, when: string): Promise<void> {
  await ctx.store.updateRun(run.id, { status: 'cancelled', error: reason, finishedAt: nowIso(ctx) });
  for (const job of run.jobs.filter((j) => j.status === 'queued' || j.status === 'running')) {
    await ctx.store.updateJob(job.id, { status: 'cancelled' });
    for (const step of job.steps.filter((st) => st.status === 'queued' || st.status === 'running')) await ctx.store.updateStep(step.id, { status: 'cancelled' });
  }
  await ctx.bus.emit({ kind: 'run.cancelled', projectId: run.projectId, subject: `run:${run.id}`, message: `run #${run.number} ${run.workflowName} cancelled ${when}: ${reason}`, data: { attempt: run.attempt } });
}
