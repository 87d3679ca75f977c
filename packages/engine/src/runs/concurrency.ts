import { evaluateValue, interpolate, type ExpressionContext, type ExpressionValue, type Project, type Run, type Workflow } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { cancelRun } from './cancellation.js';

/** How long a run waits before it looks at its concurrency group again. */
const recheckMs = 1000;

/**
 * Applies the workflow's `concurrency` before a run starts, as GitHub Actions does: at most one run of a group runs and one
 * waits. An older waiting run of the group is cancelled; with cancel-in-progress the running one is cancelled too.
 * Returns how long to wait before trying again, or 0 to start now.
 */
export async function waitForConcurrencyGroup(ctx: EngineContext, project: Project, run: Run): Promise<number> {
  if (!run.concurrency) return 0;
  const { group, cancelInProgress } = run.concurrency;
  const inGroup = (r: Run) => r.id !== run.id && r.concurrency?.group === group;
  for (const older of (await ctx.store.listRuns({ projectId: project.id, status: 'queued', limit: 500 })).filter((r) => inGroup(r) && r.number < run.number)) {
    await cancelRun(ctx, older.id, `superseded by run #${run.number} in concurrency group ${group}`).catch(() => {});
  }
  const running = (await ctx.store.listRuns({ projectId: project.id, status: 'running', limit: 500 })).filter(inGroup);
  const stopping = (await ctx.store.listRuns({ projectId: project.id, status: 'cancelling', limit: 500 })).filter(inGroup);
  if (running.length === 0 && stopping.length === 0) return 0;
  if (cancelInProgress) {
    for (const r of running) await cancelRun(ctx, r.id, `cancelled by run #${run.number} in concurrency group ${group} (cancel-in-progress)`).catch(() => {});
  }
  return recheckMs;
}

/**
 * The run's concurrency group and cancel-in-progress, from the workflow's `concurrency:`, with expressions evaluated
 * against the contexts GitHub allows there (github, inputs, vars). Undefined when the workflow has none.
 */
export function concurrencyOf(workflow: Workflow, github: Record<string, ExpressionValue>, file: string): Run['concurrency'] {
  const spec = workflow.concurrency;
  if (!spec) return null;
  const ctx = { github, inputs: {}, vars: {} } as unknown as ExpressionContext;
  const group = interpolate(spec.group, ctx, { where: { file, path: 'concurrency.group' } });
  const cancel = 'cancel-in-progress' in spec ? spec['cancel-in-progress'] : undefined;
  const cancelInProgress = typeof cancel === 'string' ? evaluateValue(cancel, ctx) === true : cancel === true;
  return { group, cancelInProgress };
}
