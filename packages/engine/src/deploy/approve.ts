import { roleAllows, SlipwayError, type Approval, type Promotion, type Role } from '@slipway/core';
import type { EngineContext } from '../context.js';

/**
 * Records one person's approval of a pending promotion and looks at its gates again. Each person counts once; a role
 * below the environment's approver role is refused, and so is a promotion that is not waiting or needs no approval.
 */
export async function approve(ctx: EngineContext, promotionId: string, actor: { name: string; role: Role }, reason: string | null): Promise<{ promotion: Promotion; approvals: Approval[] }> {
  const promotion = await ctx.store.getPromotion(promotionId);
  if (!promotion) throw new SlipwayError('SLW_NOT_FOUND', `promotion ${promotionId} not found`, { hint: 'List waiting promotions with `slipway promotions --waiting`.' });
  const env = await ctx.store.getEnvironment(promotion.environmentId);
  const release = await ctx.store.getRelease(promotion.releaseId);
  if (!env || !release) throw new SlipwayError('SLW_NOT_FOUND', `promotion ${promotionId} lost its environment or release`);
  if (promotion.phase !== 'pending') throw new SlipwayError('SLW_CONFLICT', `promotion ${promotionId} is ${promotion.phase}, not waiting`, { hint: 'Only a waiting promotion can be approved.' });
  if (env.policy.approvals === 0) throw new SlipwayError('SLW_CONFLICT', `${env.name} needs no approval`, { hint: 'Set policy.approvals in slipway.yaml to require approvals.' });
  if (!roleAllows(actor.role, env.policy.approverRole)) throw new SlipwayError('SLW_AUTH_FORBIDDEN', `role ${actor.role} cannot approve promotions to ${env.name}; it needs ${env.policy.approverRole}`);
  const added = await ctx.store.addApproval({ promotionId, actor: actor.name, role: actor.role, reason });
  const approvals = await ctx.store.listApprovals(promotionId);
  if (added) {
    await ctx.bus.emit({
      kind: 'promotion.approved',
      projectId: release.projectId,
      subject: `promotion:${promotionId}`,
      message: `${actor.name} approved v${release.version} to ${env.name} (${approvals.length} of ${env.policy.approvals})${reason ? `: ${reason}` : ''}`,
      data: { promotionId, environment: env.name, version: release.version, actor: actor.name, role: actor.role, reason, approvals: approvals.length, needed: env.policy.approvals },
    });
  }
  await ctx.enqueue('promotion.evaluate', { promotionId }, { dedupeKey: `promotion:${promotionId}` });
  return { promotion: (await ctx.store.getPromotion(promotionId)) ?? promotion, approvals };
}
