import type { Selectable } from 'kysely';
import { SlipwayError, type Artifact, type Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { isForeignKeyViolation, isUniqueViolation } from './db-errors.js';
import type { ArtifactsTable } from './schema.js';

type ArtifactMethods = Pick<Store, 'putArtifact' | 'getArtifact' | 'listArtifacts'>;

function toArtifact(r: Selectable<ArtifactsTable>): Artifact {
  return { runId: r.run_id, name: r.name, digest: r.digest, size: Number(r.size), createdAt: r.created_at };
}

/** Artifacts of runs: one row per run and name, pointing at a blob. */
export function artifactMethods(ctx: StoreContext): ArtifactMethods {
  const { db } = ctx;
  return {
    async putArtifact(input) {
      const row = { run_id: input.runId, name: input.name, digest: input.digest, size: input.size, created_at: ctx.now() };
      try {
        const insert = db.insertInto('artifacts').values(row);
        const saved = input.overwrite
          ? await insert.onConflict((oc) => oc.columns(['run_id', 'name']).doUpdateSet({ digest: row.digest, size: row.size, created_at: row.created_at })).returningAll().executeTakeFirstOrThrow()
          : await insert.returningAll().executeTakeFirstOrThrow();
        return toArtifact(saved);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new SlipwayError('SLW_CONFLICT', `run ${input.runId} already has an artifact named "${input.name}"`, { hint: 'Use another name, or set `overwrite: true` on the upload.' });
        }
        if (isForeignKeyViolation(err)) throw new SlipwayError('SLW_NOT_FOUND', `run ${input.runId} not found`);
        throw err;
      }
    },

    async getArtifact(runId, name) {
      const row = await db.selectFrom('artifacts').selectAll().where('run_id', '=', runId).where('name', '=', name).executeTakeFirst();
      return row && toArtifact(row);
    },

    async listArtifacts(runId) {
      const rows = await db.selectFrom('artifacts').selectAll().where('run_id', '=', runId).execute();
      // Sorted here: PostgreSQL orders text by its collation, SQLite by bytes; both must list alike.
      return rows.map(toArtifact).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };
}
