import type { SlipwayError } from '../errors/slipway-error.js';

/**
 * The one shape of everything that changes the world: observe → plan (pure) → apply → assess (pure) → status.
 * `requeue` means "come back later" (waiting, or a transient error); `stalled` is terminal until the spec changes.
 */
export type ReconcileResult<Status> =
  | { kind: 'done'; status: Status }
  | { kind: 'requeue'; afterMs: number; status: Status; reason: string }
  | { kind: 'stalled'; error: SlipwayError; status: Status };

export interface Reconciler<Spec, Live, Plan, Applied, Status> {
  readonly name: string;
  observe(spec: Spec, signal: AbortSignal): Promise<Live>;
  plan(spec: Spec, live: Live): Plan;
  apply(spec: Spec, plan: Plan, signal: AbortSignal): Promise<Applied>;
  assess(spec: Spec, plan: Plan, applied: Applied, live: Live): ReconcileResult<Status>;
}

/** Runs one reconcile pass. The caller writes the status, emits the event and records the duration. */
export async function reconcileOnce<Spec, Live, Plan, Applied, Status>(
  r: Reconciler<Spec, Live, Plan, Applied, Status>,
  spec: Spec,
  signal: AbortSignal,
): Promise<ReconcileResult<Status>> {
  // Observe the live state.
  const live = await r.observe(spec, signal);
  // Decide what to change, without side effects.
  const plan = r.plan(spec, live);
  // Change the world.
  const applied = await r.apply(spec, plan, signal);
  // Look again, and judge.
  const after = await r.observe(spec, signal);
  return r.assess(spec, plan, applied, after);
}
