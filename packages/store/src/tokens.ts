import type { Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { newId } from './ids.js';
import { toToken } from './rows.js';

type TokenMethods = Pick<Store, 'createToken' | 'findTokenByHash' | 'listTokens' | 'deleteToken' | 'touchToken'>;

/** API tokens; only a hash of each token is stored and no method ever returns it. */
export function tokenMethods(ctx: StoreContext): TokenMethods {
  const { db } = ctx;
  return {
    async createToken(input) {
      const row = await db
        .insertInto('api_tokens')
        .values({ id: newId('tok'), name: input.name, role: input.role, hash: input.hash, created_at: ctx.now(), last_used_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toToken(row);
    },

    async findTokenByHash(hash) {
      const row = await db.selectFrom('api_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && toToken(row);
    },

    async listTokens() {
      const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toToken);
    },

    async deleteToken(id) {
      const result = await db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async touchToken(id) {
      await db.updateTable('api_tokens').set({ last_used_at: ctx.now() }).where('id', '=', id).execute();
    },
  };
}
