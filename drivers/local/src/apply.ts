import type { ApplyProgress, ApplyResult, Plan, PlanAction } from '@slipway/core';
import { deleteService } from './delete.js';
import type { KeyedLock } from './keyed-lock.js';
import { replaceInstance } from './replace.js';
import { serviceKey, type ServiceTable } from './service-table.js';

/** What applying needs from the driver. */
export interface ApplyContext {
  host: string;
  stateDir: string;
  table: ServiceTable;
  lock: KeyedLock;
}

/** The caller's signal (already combined with the driver's lifetime) and progress callback. */
export interface ApplyOptions {
  signal: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
}

/**
 * Applies the actions of a plan in order; noops are skipped. Services come in dependency order, so after a failed
 * action the remaining ones are not applied (a dependent would start against the old dependency). An abort stops
 * the current wait, stops the instance being started and leaves the rest unapplied.
 */
export async function applyPlan(ctx: ApplyContext, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const results: ApplyResult['results'] = [];
  let blocker: string | null = null;
  for (const action of plan.actions) {
    const result = (ok: boolean, message: string | null) => results.push({ service: action.service, action: action.type, ok, message });
    if (action.type === 'noop') {
      result(true, action.reason);
    } else if (options.signal.aborted) {
      result(false, 'not applied: the deployment was aborted');
    } else if (blocker !== null) {
      result(false, `not applied: the action on ${blocker} failed before it`);
    } else {
      const progress = (message: string) => options.onProgress?.({ service: action.service, message });
      const failure = await ctx.lock
        .run(serviceKey(plan.environment, action.service), () => runAction(ctx, plan.environment, action, options.signal, progress))
        .catch((err: unknown) => `${action.type} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (failure !== null) blocker = action.service;
      result(failure === null, failure);
    }
  }
  return { environment: plan.environment, results };
}

/** Returns null on success, else why the action failed. */
async function runAction(ctx: ApplyContext, environment: string, action: PlanAction, signal: AbortSignal, progress: (m: string) => void): Promise<string | null> {
  if (action.type === 'delete') {
    await deleteService(ctx.table, ctx.stateDir, environment, action.service);
    progress('deleted');
    return null;
  }
  if (!action.desired) return `${action.type} action has no desired state`;
  return replaceInstance({ host: ctx.host, stateDir: ctx.stateDir, table: ctx.table, signal, progress }, action.desired, environment);
}
