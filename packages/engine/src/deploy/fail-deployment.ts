import type { Deployment, EnvironmentRecord, Promotion, Release } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import { emitOnce } from '../events/emit-once.js';
import { requestPromotion } from './promote.js';

/**
 * A release that cannot run in an environment (a failed health check, an aborted canary): the deployment fails, the
 * promotion fails, and the environment goes back to its last good release and holds releases up to this one.
 */
export async function failDeployment(ctx: EngineContext, env: EnvironmentRecord, release: Release, deployment: Deployment | undefined, promotion: Promotion | undefined, reason: string, code: string, data: Record<string, unknown>, rollbackReason = `v${release.version} failed its health check`): Promise<void> {
  if (deployment) await ctx.store.updateDeployment(deployment.id, { phase: 'failed', message: reason, finishedAt: nowIso(ctx) });
  await ctx.bus.emit({ kind: 'deployment.failed', projectId: release.projectId, subject: `environment:${env.id}`, message: `v${release.version} failed in ${env.name}: ${reason}`, data: { ...data, reason, code } });
  if (promotion) await failPromotion(ctx, env, release, promotion, reason, data);
  const good = env.lastGoodReleaseId && env.lastGoodReleaseId !== release.id ? await ctx.store.getRelease(env.lastGoodReleaseId) : undefined;
  if (good) {
    const hold = `v${release.version} failed in ${env.name}: ${reason}. Rolled back to v${good.version}; auto-promotion resumes with a newer release.`;
    if (deployment) await ctx.store.updateDeployment(deployment.id, { phase: 'rolled-back' });
    await ctx.store.updateEnvironment(env.id, { hold, holdVersion: Math.max(release.version, env.holdVersion ?? 0) });
    await ctx.bus.emit({ kind: 'deployment.rolled-back', projectId: release.projectId, subject: `environment:${env.id}`, message: `${env.name} rolled back from v${release.version} to v${good.version}: ${reason}`, data: { ...data, to: good.id, toVersion: good.version, reason } });
    await requestPromotion(ctx, env, good, { kind: 'rollback', manual: false, reason: rollbackReason, fromVersion: release.version });
  }
}

/** Ends a running promotion as failed: said once (first, so that a re-run after a crash finds it), then the phase moves. */
export async function failPromotion(ctx: EngineContext, env: EnvironmentRecord, release: Release, promotion: Promotion, reason: string, data: Record<string, unknown>): Promise<void> {
  await emitOnce(ctx, { kind: 'promotion.failed', projectId: release.projectId, subject: `environment:${env.id}`, message: `promotion of v${release.version} to ${env.name} failed: ${reason}`, data: { ...data, promotionId: promotion.id, reason } }, 'promotionId');
  await ctx.store.updatePromotion(promotion.id, { phase: 'failed', reason, finishedAt: nowIso(ctx) }, ['running']);
}

