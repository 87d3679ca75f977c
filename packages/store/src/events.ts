import { sql } from 'kysely';
import type { Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { toEvent } from './rows.js';

type EventMethods = Pick<Store, 'appendEvent' | 'listEvents'>;

const defaultEventLimit = 1000;
/** Any fixed number: it names the advisory lock that orders event commits on PostgreSQL. */
const eventLockKey = 0x51a7e7e7;

export function eventMethods(ctx: StoreContext): EventMethods {
  const { db } = ctx;
  return {
    async appendEvent(event) {
      const values = {
        ts: ctx.now(),
        kind: event.kind,
        project_id: event.projectId ?? null,
        subject: event.subject ?? null,
        message: event.message,
        data: JSON.stringify(event.data ?? {}),
      };
      if (ctx.dialect === 'sqlite') {
        return toEvent(await db.insertInto('events').values(values).returningAll().executeTakeFirstOrThrow());
      }
      // A bigserial is handed out before commit, so two concurrent inserts can become visible out of order and a reader
      // tailing with afterSeq would skip the lower one for good. Holding a transaction lock until commit makes visibility
      // follow seq order.
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${eventLockKey})`.execute(trx);
        return toEvent(await trx.insertInto('events').values(values).returningAll().executeTakeFirstOrThrow());
      });
    },

    async listEvents(query) {
      const newest = query.newest === true;
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .$if(query.afterSeq !== undefined, (q) => q.where('seq', '>', query.afterSeq!))
        .$if(query.projectId !== undefined, (q) => q.where('project_id', '=', query.projectId!))
        .$if(query.subject !== undefined, (q) => q.where('subject', '=', query.subject!))
        .$if(query.kinds !== undefined, (q) => q.where('kind', 'in', query.kinds!.length ? query.kinds! : ['-']))
        .orderBy('seq', newest ? 'desc' : 'asc')
        .limit(query.limit ?? defaultEventLimit)
        .execute();
      const events = rows.map(toEvent);
      return newest ? events.reverse() : events;
    },
  };
}
