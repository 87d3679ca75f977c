import { applyInOrder, type ApplyProgress, type ApplyResult, type Plan, type PlanAction } from '@slipway/core';
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
export function applyPlan(ctx: ApplyContext, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  return applyInOrder(plan, (action, progress) => ctx.lock.run(serviceKey(plan.environment, action.service), () => runAction(ctx, plan.environment, action, options.signal, progress)), options);
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
