import type { Store } from '@slipway/core';
import { defaultLimit, definedOnly, type StoreContext } from './context.js';
import { newId } from './ids.js';
import { toApproval, toDeployment, toPromotion } from './rows.js';

type PromotionMethods = Pick<Store, 'createPromotion' | 'getPromotion' | 'updatePromotion' | 'listPromotions' | 'addApproval' | 'listApprovals' | 'createDeployment' | 'updateDeployment' | 'listDeployments'>;

export function promotionMethods(ctx: StoreContext): PromotionMethods {
  const { db } = ctx;
  return {
    async createPromotion(input) {
      const row = await db
        .insertInto('promotions')
        .values({
          id: newId('prm'),
          release_id: input.releaseId,
          environment_id: input.environmentId,
          kind: input.kind,
          phase: 'pending',
          manual: input.manual ? 1 : 0,
          reason: input.reason ?? null,
          created_at: ctx.now(),
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPromotion(row);
    },

    async getPromotion(id) {
      const row = await db.selectFrom('promotions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPromotion(row);
    },

    async updatePromotion(id, patch, ifPhase) {
      const set = definedOnly({ phase: patch.phase, reason: patch.reason, finished_at: patch.finishedAt, gates: patch.gates && JSON.stringify(patch.gates) });
      if (Object.keys(set).length === 0) return true;
      const result = await db
        .updateTable('promotions')
        .set(set)
        .where('id', '=', id)
        .$if(ifPhase !== undefined, (q) => q.where('phase', 'in', ifPhase!))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async addApproval(input) {
      const row = await db
        .insertInto('approvals')
        .values({ promotion_id: input.promotionId, actor: input.actor, role: input.role, reason: input.reason, created_at: ctx.now() })
        .onConflict((oc) => oc.columns(['promotion_id', 'actor']).doNothing())
        .returning('actor')
        .executeTakeFirst();
      return row !== undefined;
    },

    async listApprovals(promotionId) {
      const rows = await db.selectFrom('approvals').selectAll().where('promotion_id', '=', promotionId).orderBy('created_at').execute();
      return rows.map(toApproval);
    },

    async listPromotions(query) {
      const rows = await db
        .selectFrom('promotions')
        .selectAll()
        .$if(query.environmentId !== undefined, (q) => q.where('environment_id', '=', query.environmentId!))
        .$if(query.releaseId !== undefined, (q) => q.where('release_id', '=', query.releaseId!))
        .$if(query.phase !== undefined, (q) => q.where('phase', '=', query.phase!))
        .$if(query.projectId !== undefined, (q) => q.where('environment_id', 'in', (eb) => eb.selectFrom('environments').select('id').where('project_id', '=', query.projectId!)))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? defaultLimit)
        .$if((query.offset ?? 0) > 0, (q) => q.offset(query.offset!))
        .execute();
      return rows.map(toPromotion);
    },

    async createDeployment(input) {
      const row = await db
        .insertInto('deployments')
        .values({
          id: newId('dep'),
          promotion_id: input.promotionId ?? null,
          environment_id: input.environmentId,
          release_id: input.releaseId,
          phase: 'progressing',
          services: JSON.stringify(input.services),
          message: null,
          started_at: ctx.now(),
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDeployment(row);
    },

    async updateDeployment(id, patch) {
      const set = definedOnly({ phase: patch.phase, message: patch.message, finished_at: patch.finishedAt });
      if (Object.keys(set).length > 0) await db.updateTable('deployments').set(set).where('id', '=', id).execute();
    },

    async listDeployments(query) {
      const rows = await db
        .selectFrom('deployments')
        .selectAll()
        .$if(query.environmentId !== undefined, (q) => q.where('environment_id', '=', query.environmentId!))
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? defaultLimit)
        .execute();
      return rows.map(toDeployment);
    },
  };
}
