import type { Store } from '@slipway/core';
import { definedOnly, type StoreContext } from './context.js';
import { newId } from './ids.js';
import { toEnvironment, toServiceStatus } from './rows.js';

type EnvironmentMethods = Pick<Store, 'syncEnvironments' | 'listEnvironments' | 'getEnvironment' | 'updateEnvironment' | 'putServiceStatus' | 'listServiceStatus' | 'deleteServiceStatus' | 'removeEnvironment'>;

export function environmentMethods(ctx: StoreContext): EnvironmentMethods {
  const { db } = ctx;
  const list = async (projectId?: string) => {
    const rows = await db
      .selectFrom('environments')
      .selectAll()
      .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId!))
      .where('removed_at', 'is', null)
      .orderBy('project_id')
      .orderBy('position')
      .orderBy('name')
      .execute();
    return rows.map(toEnvironment);
  };
  return {
    async syncEnvironments(projectId, envs) {
      await db.transaction().execute(async (trx) => {
        for (const env of envs) {
          await trx
            .insertInto('environments')
            .values({
              id: newId('env'),
              project_id: projectId,
              name: env.name,
              position: env.position,
              target_type: env.targetType,
              desired_release_id: null,
              last_good_release_id: null,
              hold: null,
              policy: JSON.stringify(env.policy ?? {}),
              target: targetJson(env.target),
            })
            // Keeps the id, so releases, statuses and promotions stay attached to the environment.
            .onConflict((oc) => oc.columns(['project_id', 'name']).doUpdateSet({ position: env.position, target_type: env.targetType, target: targetJson(env.target), policy: JSON.stringify(env.policy ?? {}), removed_at: null }))
            .execute();
        }
      });
      return list(projectId);
    },

    listEnvironments: list,

    async getEnvironment(id) {
      const row = await db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toEnvironment(row);
    },

    async removeEnvironment(id) {
      await db.updateTable('environments').set({ removed_at: ctx.now(), desired_release_id: null }).where('id', '=', id).execute();
    },

    async updateEnvironment(id, patch) {
      const set = definedOnly({ desired_release_id: patch.desiredReleaseId, last_good_release_id: patch.lastGoodReleaseId, hold: patch.hold, hold_version: patch.holdVersion });
      if (Object.keys(set).length > 0) await db.updateTable('environments').set(set).where('id', '=', id).execute();
    },

    async putServiceStatus(status) {
      const values = {
        environment_id: status.environmentId,
        service: status.service,
        release_id: status.releaseId,
        revision: status.revision,
        health: status.health,
        sync: status.sync,
        url: status.url,
        message: status.message,
        updated_at: status.updatedAt,
      };
      // One statement decides and writes: the update only happens when a field other than updated_at differs, and
      // RETURNING yields a row only when something was written. IS DISTINCT FROM treats null = null (SQLite ≥ 3.39 too).
      const written = await db
        .insertInto('service_status')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['environment_id', 'service'])
            .doUpdateSet((eb) => ({
              release_id: eb.ref('excluded.release_id'),
              revision: eb.ref('excluded.revision'),
              health: eb.ref('excluded.health'),
              sync: eb.ref('excluded.sync'),
              url: eb.ref('excluded.url'),
              message: eb.ref('excluded.message'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where((eb) =>
              eb.or(
                (['release_id', 'revision', 'health', 'sync', 'url', 'message'] as const).map((c) =>
                  eb(`service_status.${c}`, 'is distinct from', eb.ref(`excluded.${c}`)),
                ),
              ),
            ),
        )
        .returning('service')
        .executeTakeFirst();
      return written !== undefined;
    },

    async deleteServiceStatus(environmentId, service) {
      await db.deleteFrom('service_status').where('environment_id', '=', environmentId).where('service', '=', service).execute();
    },

    async listServiceStatus(environmentId) {
      const rows = await db
        .selectFrom('service_status')
        .selectAll()
        .$if(environmentId !== undefined, (q) => q.where('environment_id', '=', environmentId!))
        .orderBy('environment_id')
        .orderBy('service')
        .execute();
      return rows.map(toServiceStatus);
    },
  };
}

/** The target's settings besides its type (kept in target_type). */
function targetJson(target: { type: string } | undefined): string {
  if (!target) return '{}';
  const { type: _type, ...rest } = target;
  return JSON.stringify(rest);
}
