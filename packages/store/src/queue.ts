import type { ExpressionBuilder } from 'kysely';
import type { Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { newId } from './ids.js';
import { toQueueItem } from './rows.js';
import type { Database } from './schema.js';

type QueueMethods = Pick<Store, 'enqueue' | 'claim' | 'heartbeat' | 'complete' | 'fail' | 'defer' | 'getQueueItem' | 'queueDepth' | 'expireAllLeases' | 'pruneQueue'>;

const defaultMaxAttempts = 5;

/** A lease that is still owned by `owner`, whether or not it has expired: until someone else claims it, it is theirs. */
const heldBy = (id: string, owner: string) => (eb: ExpressionBuilder<Database, 'queue_items'>) =>
  eb.and([eb('id', '=', id), eb('lease_owner', '=', owner), eb('status', '=', 'leased')]);

/**
 * The durable scheduler's queue: jobs are rows, and a claim is one conditional UPDATE that hands out a lease.
 */
export function queueMethods(ctx: StoreContext): QueueMethods {
  const { db } = ctx;
  return {
    async enqueue(input) {
      const now = ctx.now();
      const row = {
        id: newId('q'),
        kind: input.kind,
        payload: JSON.stringify(input.payload),
        status: 'ready' as const,
        attempts: 0,
        max_attempts: input.maxAttempts ?? defaultMaxAttempts,
        run_after: ctx.at(input.runAfterMs ?? 0),
        lease_owner: null,
        lease_expires_at: null,
        last_error: null,
        dedupe_key: input.dedupeKey ?? null,
        created_at: now,
      };
      // The partial unique index on unfinished dedupe keys decides; DO NOTHING without a target covers it on both dialects.
      // The existing item can finish between our insert and our read, so try again in that case.
      for (;;) {
        const inserted = await db.insertInto('queue_items').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
        if (inserted) return toQueueItem(inserted);
        const existing = await db
          .selectFrom('queue_items')
          .selectAll()
          .where('dedupe_key', '=', row.dedupe_key)
          .where('status', 'in', ['ready', 'leased'])
          .executeTakeFirst();
        if (existing) return toQueueItem(existing);
      }
    },

    async claim(input) {
      if (input.kinds?.length === 0) return undefined;
      const now = ctx.now();
      // A worker that crashes on an item every time must not keep it alive forever: once an expired lease has used up
      // every attempt, the item is dead instead of claimable.
      await db
        .updateTable('queue_items')
        .set({ status: 'dead', lease_owner: null, lease_expires_at: null, last_error: 'lease expired on the last attempt' })
        .where('status', '=', 'leased')
        .where('lease_expires_at', '<=', now)
        .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
        .execute();
      const next = db
        .selectFrom('queue_items')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'ready'), eb('run_after', '<=', now)]),
            eb.and([eb('status', '=', 'leased'), eb('lease_expires_at', '<=', now), eb('attempts', '<', eb.ref('max_attempts'))]),
          ]),
        )
        .$if(input.kinds !== undefined, (q) => q.where('kind', 'in', input.kinds!))
        .orderBy('run_after')
        .orderBy('id')
        .limit(1)
        // PostgreSQL: concurrent claimers skip a row another claimer holds instead of waiting for it. SQLite runs the
        // whole UPDATE under its single writer lock, which makes the statement atomic there.
        .$if(ctx.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
      const row = await db
        .updateTable('queue_items')
        .set((eb) => ({ status: 'leased', attempts: eb('attempts', '+', 1), lease_owner: input.owner, lease_expires_at: ctx.at(input.leaseMs) }))
        .where('id', '=', next)
        .returningAll()
        .executeTakeFirst();
      return row && toQueueItem(row);
    },

    async heartbeat(id, owner, leaseMs) {
      const result = await db.updateTable('queue_items').set({ lease_expires_at: ctx.at(leaseMs) }).where(heldBy(id, owner)).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async complete(id, owner) {
      const result = await db.updateTable('queue_items').set({ status: 'done', lease_expires_at: null }).where(heldBy(id, owner)).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async fail(id, owner, input) {
      const result = await db
        .updateTable('queue_items')
        .set((eb) => ({
          status: eb.case().when('attempts', '<', eb.ref('max_attempts')).then('ready' as const).else('dead' as const).end(),
          run_after: ctx.at(input.retryAfterMs),
          last_error: input.error,
          lease_owner: null,
          lease_expires_at: null,
        }))
        .where(heldBy(id, owner))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async defer(id, owner, delayMs) {
      const result = await db
        .updateTable('queue_items')
        .set((eb) => ({ status: 'ready' as const, attempts: eb('attempts', '-', 1), run_after: ctx.at(delayMs), lease_owner: null, lease_expires_at: null }))
        .where(heldBy(id, owner))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async getQueueItem(id) {
      const row = await db.selectFrom('queue_items').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toQueueItem(row);
    },

    async queueDepth() {
      const rows = await db
        .selectFrom('queue_items')
        .select((eb) => ['kind', 'status', eb.fn.countAll().as('count')])
        .where('status', 'in', ['ready', 'leased'])
        .groupBy(['kind', 'status'])
        .orderBy('kind')
        .orderBy('status')
        .execute();
      return rows.map((r) => ({ kind: r.kind, status: r.status as 'ready' | 'leased', count: Number(r.count) }));
    },

    async pruneQueue(before) {
      const result = await db.deleteFrom('queue_items').where('status', '=', 'done').where('run_after', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async expireAllLeases() {
      const now = ctx.now();
      const result = await db.updateTable('queue_items').set({ lease_expires_at: now }).where('status', '=', 'leased').where('lease_expires_at', '>', now).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
