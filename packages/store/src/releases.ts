import { SlipwayError, type Store } from '@slipway/core';
import { defaultLimit, type StoreContext } from './context.js';
import { newId } from './ids.js';
import { toRelease } from './rows.js';

type ReleaseMethods = Pick<Store, 'createRelease' | 'getRelease' | 'listReleases'>;

export function releaseMethods(ctx: StoreContext): ReleaseMethods {
  const { db } = ctx;
  return {
    async createRelease(input) {
      return db.transaction().execute(async (trx) => {
        // As for run numbers: the counter UPDATE locks the project row until commit, so versions never collide.
        const counter = await trx
          .updateTable('projects')
          .set((eb) => ({ release_seq: eb('release_seq', '+', 1) }))
          .where('id', '=', input.projectId)
          .returning('release_seq')
          .executeTakeFirst();
        if (!counter) throw new SlipwayError('SLW_NOT_FOUND', `project ${input.projectId} not found`);
        const row = await trx
          .insertInto('releases')
          .values({
            id: newId('rel'),
            project_id: input.projectId,
            version: Number(counter.release_seq),
            commit_sha: input.commitSha,
            services: JSON.stringify(input.services),
            changed_services: JSON.stringify(input.changedServices),
            config: input.config ? JSON.stringify(input.config) : null,
            run_ids: JSON.stringify(input.runIds ?? []),
            created_at: ctx.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRelease(row);
      });
    },

    async getRelease(id) {
      const row = await db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRelease(row);
    },

    async listReleases(query) {
      const rows = await db
        .selectFrom('releases')
        .selectAll()
        .$if(query.projectId !== undefined, (q) => q.where('project_id', '=', query.projectId!))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? defaultLimit)
        .execute();
      return rows.map(toRelease);
    },
  };
}
