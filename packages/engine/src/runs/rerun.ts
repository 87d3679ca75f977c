import { isFinished, SlipwayError, type Run } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { succeededGroups } from './job-groups.js';

/**
 * Re-runs a finished run as its next attempt, as GitHub's "Re-run all jobs" and "Re-run failed jobs" do. With `failedOnly`,
 * workflow jobs whose every row succeeded are kept (status, steps and outputs) and the rest run again.
 */
export async function rerun(ctx: EngineContext, runId: string, options: { failedOnly: boolean }): Promise<Run> {
  const run = await ctx.store.getRun(runId);
  if (!run) throw new SlipwayError('SLW_NOT_FOUND', `run ${runId} not found`);
  if (!isFinished(run.status)) throw new SlipwayError('SLW_CONFLICT', `run #${run.number} is still ${run.status}`, { hint: 'Wait for it to finish, or cancel it first: `slipway runs cancel <run>`.' });
  const keep = options.failedOnly ? [...succeededGroups(run.jobs).values()].flatMap((g) => g.rows.map((r) => r.id)) : [];
  if (options.failedOnly && run.status === 'succeeded') throw new SlipwayError('SLW_CONFLICT', `run #${run.number} has no failed job to re-run`, { hint: 'Re-run every job instead (without --failed).' });
  const reset = await ctx.store.resetRunForRetry(run.id, { keepJobs: keep });
  await ctx.bus.emit({
    kind: 'run.rerun',
    projectId: run.projectId,
    subject: `run:${run.id}`,
    message: `run #${run.number} ${run.workflowName} re-run as attempt ${reset.attempt}: ${options.failedOnly ? `failed jobs only (${run.jobs.length - keep.length} of ${run.jobs.length} jobs)` : 'all jobs'}`,
    data: { attempt: reset.attempt, failedOnly: options.failedOnly, kept: keep.length },
  });
  await ctx.enqueue('run.execute', { runId: run.id }, { dedupeKey: `run:${run.id}` });
  return reset;
}
