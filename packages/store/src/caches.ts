import { sql, type Selectable } from 'kysely';
import { SlipwayError, type CacheEntry, type Store } from '@slipway/core';
import { defaultLimit, type StoreContext } from './context.js';
import { isForeignKeyViolation } from './db-errors.js';
import type { CacheEntriesTable } from './schema.js';

type CacheMethods = Pick<Store, 'putCacheEntry' | 'findCacheEntry' | 'touchCacheEntry' | 'listCacheEntries' | 'deleteCacheEntries'>;

function toCacheEntry(r: Selectable<CacheEntriesTable>): CacheEntry {
  return { projectId: r.project_id, key: r.key, version: r.version, digest: r.digest, size: Number(r.size), createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

/**
 * Cache entries with actions/cache semantics: written once per key and version, found by exact key, then by prefixes.
 */
export function cacheMethods(ctx: StoreContext): CacheMethods {
  const { db } = ctx;
  const ofVersion = (projectId: string, version: string) => db.selectFrom('cache_entries').selectAll().where('project_id', '=', projectId).where('version', '=', version);
  return {
    async putCacheEntry(input) {
      const now = ctx.now();
      try {
        const inserted = await db
          .insertInto('cache_entries')
          .values({ project_id: input.projectId, key: input.key, version: input.version, digest: input.digest, size: input.size, created_at: now, last_used_at: now })
          // The first writer wins, as in actions/cache: a later save of the same key must not replace what others restore.
          .onConflict((oc) => oc.columns(['project_id', 'key', 'version']).doNothing())
          .returning('key')
          .executeTakeFirst();
        return inserted !== undefined;
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new SlipwayError('SLW_NOT_FOUND', `project ${input.projectId} not found`);
        throw err;
      }
    },

    async findCacheEntry(projectId, keys, version) {
      const [first] = keys;
      if (first === undefined) return undefined;
      const exact = await ofVersion(projectId, version).where('key', '=', first).executeTakeFirst();
      if (exact) return toCacheEntry(exact);
      for (const prefix of keys) {
        // substr/length rather than LIKE: LIKE is case-insensitive in SQLite and treats % and _ in keys as wildcards.
        const row = await ofVersion(projectId, version)
          .where(sql<boolean>`substr(${sql.ref('key')}, 1, length(cast(${prefix} as text))) = ${prefix}`)
          .orderBy('created_at', 'desc')
          .orderBy('key', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (row) return toCacheEntry(row);
      }
      return undefined;
    },

    async touchCacheEntry(projectId, key, version) {
      await db.updateTable('cache_entries').set({ last_used_at: ctx.now() }).where('project_id', '=', projectId).where('key', '=', key).where('version', '=', version).execute();
    },

    async listCacheEntries(query) {
      let q = db.selectFrom('cache_entries').selectAll();
      if (query.projectId) q = q.where('project_id', '=', query.projectId);
      const rows = await q.orderBy('created_at', 'desc').orderBy('key', 'desc').limit(query.limit ?? defaultLimit).execute();
      return rows.map(toCacheEntry);
    },

    async deleteCacheEntries(query) {
      let q = db.deleteFrom('cache_entries').where('last_used_at', '<', query.olderThan);
      if (query.projectId) q = q.where('project_id', '=', query.projectId);
      const rows = await q.returningAll().execute();
      return rows.map(toCacheEntry);
    },
  };
}
