import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { eventSchema, type SlipwayEvent } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { createRouter, errors, listOf } from '../openapi.js';

export function eventRoutes(engine: Engine) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      tags: ['events'],
      summary: 'The event log. With Accept: text/event-stream, streams new events live (SSE, id = seq; Last-Event-ID resumes).',
      request: {
        query: z.object({
          afterSeq: z.coerce.number().int().optional(),
          projectId: z.string().optional(),
          subject: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          newest: z.enum(['1', '0', 'true', 'false']).optional().describe('Return the newest `limit` events.'),
        }),
      },
      responses: { 200: { content: { 'application/json': { schema: listOf(eventSchema) }, 'text/event-stream': { schema: z.string() } }, description: 'Events in ascending seq' }, ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const newest = q.newest === '1' || q.newest === 'true';
      if (!c.req.header('accept')?.includes('text/event-stream')) {
        return c.json({ items: await engine.store.listEvents({ afterSeq: q.afterSeq, projectId: q.projectId, subject: q.subject, limit: q.limit, newest }) }, 200);
      }
      const lastId = c.req.header('last-event-id');
      return streamSSE(c, async (stream) => {
        // Subscribe before reading the backlog, so that nothing falls between the two.
        const pending: SlipwayEvent[] = [];
        let wake: (() => void) | undefined;
        const unsubscribe = engine.bus.subscribe((e) => {
          if (q.projectId && e.projectId !== q.projectId) return;
          pending.push(e);
          wake?.();
        });
        let open = true;
        stream.onAbort(() => {
          open = false;
          unsubscribe();
          wake?.();
        });
        let seq = lastId !== undefined ? Number(lastId) : (q.afterSeq ?? Number.POSITIVE_INFINITY);
        if (Number.isFinite(seq)) {
          for (const e of await engine.store.listEvents({ afterSeq: seq, projectId: q.projectId, limit: 1000 })) {
            await stream.writeSSE({ id: String(e.seq), data: JSON.stringify(e) });
            seq = e.seq;
          }
        } else {
          seq = -1;
        }
        while (open) {
          while (pending.length > 0) {
            const e = pending.shift()!;
            if (e.seq <= seq) continue;
            seq = e.seq;
            await stream.writeSSE({ id: String(e.seq), data: JSON.stringify(e) });
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            // A comment line now and then keeps proxies from closing an idle stream.
            setTimeout(resolve, 15_000).unref();
          });
          wake = undefined;
          if (open && pending.length === 0) await stream.write(': keep-alive\n\n');
        }
      }) as never;
    },
  );
  return app;
}
