import type { EnvironmentRecord, Promotion, Release } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import { crashPoint } from '../crash-point.js';

export interface PromotionRequest {
  kind: Promotion['kind'];
  /** Asked for by a person (`slipway deploy`, `slipway rollback`), not by the chain of environments. */
  manual: boolean;
  reason: string;
  /** For a rollback: the version it moves away from (DORA counts that deploy as failed). */
  fromVersion?: number;
}

/**
 * Asks for a release in an environment: a pending promotion that `promotion.evaluate` moves on once its gates pass.
 * A newer release that is waiting replaces an older one that is waiting; a rollback replaces every waiting release it
 * moves away from. A running promotion is never touched here (the environment's lock is taken in evaluate).
 */
export async function requestPromotion(ctx: EngineContext, env: EnvironmentRecord, release: Release, request: PromotionRequest): Promise<Promotion> {
  const waiting = await ctx.store.listPromotions({ environmentId: env.id, phase: 'pending', limit: 100 });
  const versions = new Map<string, number>();
  for (const p of waiting) {
    versions.set(p.releaseId, versions.get(p.releaseId) ?? (await ctx.store.getRelease(p.releaseId))?.version ?? 0);
    const older = versions.get(p.releaseId)! <= release.version;
    if (request.kind === 'rollback' || (older && p.kind === 'promote')) {
      if (await ctx.store.updatePromotion(p.id, { phase: 'aborted', reason: `replaced by ${request.kind === 'rollback' ? 'a rollback to ' : ''}v${release.version}`, finishedAt: nowIso(ctx) }, ['pending'])) {
        await ctx.bus.emit({ kind: 'promotion.aborted', projectId: release.projectId, subject: `promotion:${p.id}`, message: `promotion to ${env.name} replaced by ${request.kind === 'rollback' ? 'a rollback to ' : ''}v${release.version}`, data: { promotionId: p.id, environment: env.name, by: release.id } });
      }
    }
  }
  const promotion = await ctx.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: request.kind, reason: request.reason, manual: request.manual });
  await ctx.bus.emit({
    kind: 'promotion.created',
    projectId: release.projectId,
    subject: `promotion:${promotion.id}`,
    message: `${request.kind === 'rollback' ? 'rollback' : 'promotion'} of v${release.version} to ${env.name} requested: ${request.reason}`,
    data: { promotionId: promotion.id, releaseId: release.id, version: release.version, environment: env.name, kind: request.kind, manual: request.manual, fromVersion: request.fromVersion ?? null },
  });
  crashPoint('promotion.requested');
  await ctx.enqueue('promotion.evaluate', { promotionId: promotion.id }, { dedupeKey: `promotion:${promotion.id}` });
  return promotion;
}

/**
 * The chain's request of a release in an environment whose policy promotes automatically: once per release and
 * environment, also when a step runs again after a crash.
 */
export async function autoPromote(ctx: EngineContext, env: EnvironmentRecord, release: Release, reason: string): Promise<void> {
  if (env.policy.promotion !== 'auto') return;
  if ((await ctx.store.listPromotions({ environmentId: env.id, releaseId: release.id, limit: 1 })).length > 0) return;
  await requestPromotion(ctx, env, release, { kind: 'promote', manual: false, reason });
}

/**
 * After a restart: every promotion that was waiting or deploying is looked at again (its job may have been lost with
 * the process), and a release that became healthy somewhere is asked for in the next environment if that was cut short.
 */
export async function resumePromotions(ctx: EngineContext, promoteToNext: (env: EnvironmentRecord, release: Release) => Promise<void>): Promise<void> {
  for (const phase of ['pending', 'running'] as const) {
    for (const p of await ctx.store.listPromotions({ phase, limit: 1000 })) await ctx.enqueue('promotion.evaluate', { promotionId: p.id }, { dedupeKey: `promotion:${p.id}` });
  }
  for (const env of await ctx.store.listEnvironments()) {
    const [done] = await ctx.store.listPromotions({ environmentId: env.id, phase: 'succeeded', limit: 1 });
    const release = done?.kind === 'promote' ? await ctx.store.getRelease(done.releaseId) : undefined;
    if (release) await promoteToNext(env, release);
  }
}
