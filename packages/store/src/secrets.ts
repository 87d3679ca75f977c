import { normalizeSecretName, SlipwayError, type SealedSecret, type Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { isForeignKeyViolation } from './db-errors.js';

type SecretMethods = Pick<Store, 'putSecret' | 'getSecrets' | 'listSecrets' | 'deleteSecret'>;

/** The scope column: the project id, or '' for a global secret. */
const scopeOf = (projectId: string | null) => projectId ?? '';

/**
 * Secrets, sealed before they get here: this module never sees a plaintext value, and only `getSecrets` (for the runner)
 * returns the sealed one.
 */
export function secretMethods(ctx: StoreContext): SecretMethods {
  const { db } = ctx;
  return {
    async putSecret(input) {
      const name = normalizeSecretName(input.name);
      const now = ctx.now();
      try {
        await db
          .insertInto('secrets')
          .values({ scope: scopeOf(input.projectId), name, project_id: input.projectId, ciphertext: input.ciphertext, updated_at: now })
          .onConflict((oc) => oc.columns(['scope', 'name']).doUpdateSet({ ciphertext: input.ciphertext, updated_at: now }))
          .execute();
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new SlipwayError('SLW_NOT_FOUND', `project ${input.projectId} not found`);
        throw err;
      }
    },

    async getSecrets(projectId, names) {
      const wanted = [...new Set(names.map(normalizeSecretName))];
      if (wanted.length === 0) return [];
      const rows = await db
        .selectFrom('secrets')
        .select(['name', 'project_id', 'ciphertext'])
        .where('name', 'in', wanted)
        .where('scope', 'in', [...new Set(['', scopeOf(projectId)])])
        .execute();
      const byName = new Map<string, SealedSecret>();
      for (const r of rows) {
        // The project's own value wins over the global one of the same name.
        if (byName.has(r.name) && r.project_id === null) continue;
        byName.set(r.name, { name: r.name, projectId: r.project_id, ciphertext: r.ciphertext });
      }
      return wanted.flatMap((n) => byName.get(n) ?? []);
    },

    async listSecrets(projectId) {
      let query = db.selectFrom('secrets').select(['scope', 'name', 'project_id', 'updated_at']);
      if (projectId !== undefined) query = query.where('scope', '=', scopeOf(projectId));
      const rows = await query.execute();
      // Sorted here, not in SQL: PostgreSQL orders text by its locale collation (where `_` is ignored), SQLite by bytes.
      const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) => byCodeUnit(a.name, b.name) || byCodeUnit(a.scope, b.scope));
      return rows.map((r) => ({ name: r.name, projectId: r.project_id, updatedAt: r.updated_at }));
    },

    async deleteSecret(projectId, name) {
      const result = await db.deleteFrom('secrets').where('scope', '=', scopeOf(projectId)).where('name', '=', normalizeSecretName(name)).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
