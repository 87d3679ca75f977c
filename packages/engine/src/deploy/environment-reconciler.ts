import { SlipwayError, type ApplyResult, type DesiredState, type ObservedState, type Plan, type Reconciler, type ReconcileResult, type TargetDriver, type ApplyProgress } from '@slipway/core';

export interface EnvironmentSpec {
  desired: DesiredState;
  /** Services applied here before that the desired state no longer has: they are deleted. */
  prune?: string[];
}

/** Per service: what runs, against what should. */
export type EnvironmentAssessment = ObservedState;

/** Drives an environment to its desired state through its target driver. */
export function createEnvironmentReconciler(driver: TargetDriver, onProgress: (p: ApplyProgress) => void): Reconciler<EnvironmentSpec, ObservedState, Plan, ApplyResult, EnvironmentAssessment> {
  return {
    name: 'environment',
    observe: (spec, signal) => driver.observe(spec.desired.environment, spec.desired.services.map((s) => s.service), signal),
    plan: (spec, live) => withPrune(driver.plan(spec.desired, live), spec.prune ?? []),
    apply: (_spec, plan, signal) => driver.apply(plan, { signal, onProgress }),
    assess: (spec, _plan, applied, live) => assessEnvironment(spec, applied, live),
  };
}

/** The driver's plan plus a delete of each pruned service. */
export function withPrune(plan: Plan, prune: string[]): Plan {
  return { ...plan, actions: [...plan.actions, ...prune.map((service) => ({ type: 'delete' as const, service, reason: 'no longer in the release' }))] };
}

/** Pure: done when every service runs its desired revision healthily; a failed apply is terminal for this release. */
export function assessEnvironment(spec: EnvironmentSpec, applied: ApplyResult, live: ObservedState): ReconcileResult<EnvironmentAssessment> {
  const failed = applied.results.filter((r) => !r.ok);
  if (failed.length > 0) {
    const message = failed.map((f) => `${f.service}: ${f.message ?? 'failed'}`).join('; ');
    return { kind: 'stalled', error: new SlipwayError('SLW_HEALTH_CHECK_FAILED', message), status: live };
  }
  for (const want of spec.desired.services) {
    const have = live.services.find((s) => s.service === want.service);
    if (!have || have.revision !== want.revision) return { kind: 'requeue', afterMs: 1000, status: live, reason: `${want.service} does not run its desired revision yet` };
    if (have.health !== 'healthy') return { kind: 'requeue', afterMs: 1000, status: live, reason: `${want.service} is ${have.health}` };
  }
  return { kind: 'done', status: live };
}
