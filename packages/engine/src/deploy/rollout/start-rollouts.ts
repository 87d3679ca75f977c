import { worstCaseExposure, type Deployment, type EnvironmentRecord, type ObservedState, type PlanAction, type Promotion, type Release } from '@slipway/core';
import { nowIso, type EngineContext } from '../../context.js';
import { stepsOf, strategyFor } from './strategy.js';

/**
 * The services that go through a progressive rollout here rather than the rolling replace: those with a rollout of
 * this release under way, and each service a promotion replaces whose strategy is canary or blue-green (when the
 * target can split traffic), for which a rollout starts now. A rollout of an older release still under way is
 * superseded: its traffic goes back to the stable version first.
 */
export async function progressiveServices(ctx: EngineContext, env: EnvironmentRecord, release: Release, observed: ObservedState, changing: PlanAction[], promotion: Promotion | undefined, deployment: Deployment | undefined): Promise<Set<string>> {
  const traffic = ctx.driverFor(env).traffic;
  const active = await ctx.store.listRollouts({ environmentId: env.id, phases: ['progressing', 'paused'], limit: 100 });
  const services = new Set<string>();
  for (const r of active) {
    if (r.releaseId === release.id) {
      services.add(r.service);
    } else if (await ctx.store.updateRollout(r.id, { phase: 'aborted', reason: `superseded by v${release.version}`, finishedAt: nowIso(ctx) }, ['progressing', 'paused'])) {
      await traffic?.abort(env.id, r.service);
    }
  }
  if (!deployment) return services;
  const ofDeployment = await ctx.store.listRollouts({ environmentId: env.id, deploymentId: deployment.id, limit: 100 });
  // An aborted rollout fails its deployment (abortRollout does it right after): the rolling replace must not run meanwhile.
  for (const r of ofDeployment) if (r.phase === 'aborted') services.add(r.service);
  if (!traffic || promotion?.kind !== 'promote') return services;
  const done = new Set(ofDeployment.map((r) => r.service));
  for (const action of changing) {
    if (action.type !== 'replace' || !action.desired || services.has(action.service) || done.has(action.service)) continue;
    const { strategy, metrics } = strategyFor(release, env.name, action.service);
    if (strategy.type === 'rolling') continue;
    const steps = stepsOf(strategy);
    const rollout = await ctx.store.createRollout({
      projectId: release.projectId,
      environmentId: env.id,
      service: action.service,
      releaseId: release.id,
      deploymentId: deployment.id,
      promotionId: promotion.id,
      strategy: strategy.type,
      steps,
      stepIndex: 0,
      weight: steps[0]!,
      phase: 'progressing',
      reason: null,
      stableRevision: observed.services.find((s) => s.service === action.service)?.revision ?? null,
      canaryRevision: action.desired.revision,
      stepStartedAt: nowIso(ctx),
      measurements: [],
      exposure: worstCaseExposure(metrics, steps[0]!),
    });
    await ctx.enqueue('rollout.step', { rolloutId: rollout.id }, { dedupeKey: `rollout:${rollout.id}` });
    services.add(action.service);
  }
  return services;
}

/** Whether a rollout of this release drives every changing service here already. */
export async function underRollout(ctx: EngineContext, env: EnvironmentRecord, release: Release, changing: PlanAction[]): Promise<boolean> {
  const active = (await ctx.store.listRollouts({ environmentId: env.id, phases: ['progressing', 'paused'], limit: 100 })).filter((r) => r.releaseId === release.id).map((r) => r.service);
  return active.length > 0 && changing.every((a) => active.includes(a.service));
}

/** Whether a rollout of this promotion was aborted here. */
export async function rolloutAborted(ctx: EngineContext, env: EnvironmentRecord, promotion: { id: string }): Promise<boolean> {
  return (await ctx.store.listRollouts({ environmentId: env.id, phases: ['aborted'], limit: 20 })).some((r) => r.promotionId === promotion.id);
}
