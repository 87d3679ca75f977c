import type { Store } from '@slipway/core';
import { defaultLimit, definedOnly, type StoreContext } from './context.js';
import { newId } from './ids.js';
import { toRollout } from './rows.js';

type RolloutMethods = Pick<Store, 'createRollout' | 'getRollout' | 'listRollouts' | 'updateRollout'>;

export function rolloutMethods(ctx: StoreContext): RolloutMethods {
  const { db } = ctx;
  return {
    async createRollout(input) {
      const now = ctx.now();
      const row = await db
        .insertInto('rollouts')
        .values({
          id: newId('rol'),
          project_id: input.projectId,
          environment_id: input.environmentId,
          service: input.service,
          release_id: input.releaseId,
          deployment_id: input.deploymentId,
          promotion_id: input.promotionId,
          strategy: input.strategy,
          steps: JSON.stringify(input.steps),
          step_index: input.stepIndex,
          weight: input.weight,
          phase: input.phase,
          reason: input.reason,
          stable_revision: input.stableRevision,
          canary_revision: input.canaryRevision,
          step_started_at: input.stepStartedAt,
          measurements: JSON.stringify(input.measurements),
          exposure: input.exposure,
          created_at: now,
          updated_at: now,
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRollout(row);
    },

    async getRollout(id) {
      const row = await db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRollout(row);
    },

    async listRollouts(query) {
      const rows = await db
        .selectFrom('rollouts')
        .selectAll()
        .$if(query.environmentId !== undefined, (q) => q.where('environment_id', '=', query.environmentId!))
        .$if(query.projectId !== undefined, (q) => q.where('project_id', '=', query.projectId!))
        .$if(query.deploymentId !== undefined, (q) => q.where('deployment_id', '=', query.deploymentId!))
        .$if(query.phases !== undefined, (q) => q.where('phase', 'in', query.phases!))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? defaultLimit)
        .execute();
      return rows.map(toRollout);
    },

    async updateRollout(id, patch, ifPhase) {
      const set = definedOnly({
        step_index: patch.stepIndex,
        weight: patch.weight,
        phase: patch.phase,
        reason: patch.reason,
        step_started_at: patch.stepStartedAt,
        measurements: patch.measurements && JSON.stringify(patch.measurements),
        exposure: patch.exposure,
        finished_at: patch.finishedAt,
      });
      const result = await db
        .updateTable('rollouts')
        .set({ ...set, updated_at: ctx.now() })
        .where('id', '=', id)
        .$if(ifPhase !== undefined, (q) => q.where('phase', 'in', ifPhase!))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
