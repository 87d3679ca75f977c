import type { EnvironmentRecord, Promotion, Release } from '@slipway/core';
import type { EngineContext } from '../context.js';

/** Starts a promotion: the environment's desired release changes and its reconciler is queued. */
export async function promote(ctx: EngineContext, env: EnvironmentRecord, release: Release, kind: Promotion['kind'], reason: string): Promise<Promotion> {
  // A newer promotion supersedes one still pending in the same environment.
  for (const p of await ctx.store.listPromotions({ environmentId: env.id, limit: 20 })) {
    if (p.phase === 'pending' || p.phase === 'running') await ctx.store.updatePromotion(p.id, { phase: 'aborted', reason: `superseded by v${release.version}`, finishedAt: ctx.clock.now().toISOString() });
  }
  const promotion = await ctx.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind, reason });
  await ctx.store.updateEnvironment(env.id, { desiredReleaseId: release.id, ...(kind === 'promote' && reason.startsWith('manual') ? { hold: null } : {}) });
  await ctx.bus.emit({
    kind: 'promotion.started',
    projectId: release.projectId,
    subject: `environment:${env.id}`,
    message: `${kind === 'rollback' ? 'rollback' : 'promotion'} of v${release.version} to ${env.name} started: ${reason}`,
    data: { promotionId: promotion.id, releaseId: release.id, version: release.version, environment: env.name, kind },
  });
  await ctx.enqueue('environment.reconcile', { environmentId: env.id }, { dedupeKey: `env:${env.id}` });
  return promotion;
}
