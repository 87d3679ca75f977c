import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { isFinished, logLineSchema, runDetailSchema, runSchema, runStatusSchema, SlipwayError, triggerReasonSchema } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { createRouter, errors, json, limitQuery, listOf } from '../openapi.js';

export function runRoutes(engine: Engine) {
  const app = createRouter();
  const { store } = engine;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs',
      tags: ['runs'],
      summary: 'List runs, newest first',
      request: { query: z.object({ projectId: z.string().optional(), commitSha: z.string().optional(), status: runStatusSchema.optional(), limit: limitQuery }) },
      responses: { 200: json(listOf(runSchema), 'Runs'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const project = q.projectId ? await store.getProject(q.projectId) : undefined;
      return c.json({ items: await store.listRuns({ ...q, projectId: project?.id ?? q.projectId }) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{id}',
      tags: ['runs'],
      summary: 'Get a run with its jobs and steps, and why each service was triggered or skipped',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(runDetailSchema.extend({ triggers: z.array(triggerReasonSchema) }), 'Run'), ...errors },
    }),
    async (c) => {
      const run = await findRun(engine, c.req.valid('param').id);
      const [seen] = await store.listEvents({ projectId: run.projectId, subject: `commit:${run.commitSha}`, limit: 50 }).then((es) => es.filter((e) => e.kind === 'commit.seen'));
      const triggers = (seen?.data.triggers as z.infer<typeof triggerReasonSchema>[] | undefined) ?? [];
      return c.json({ ...run, triggers }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{id}/logs',
      tags: ['runs'],
      summary: 'Log lines of a run. With Accept: text/event-stream, streams them live (SSE, one LogLine per message, then an `end` event).',
      request: { params: z.object({ id: z.string() }), query: z.object({ afterSeq: z.coerce.number().int().optional(), limit: z.coerce.number().int().min(1).max(10_000).default(5000) }) },
      responses: { 200: { content: { 'application/json': { schema: listOf(logLineSchema) }, 'text/event-stream': { schema: z.string() } }, description: 'Log lines' }, ...errors },
    }),
    async (c) => {
      const run = await findRun(engine, c.req.valid('param').id);
      const { afterSeq, limit } = c.req.valid('query');
      if (!c.req.header('accept')?.includes('text/event-stream')) return c.json({ items: await store.readLogs(run.id, { afterSeq, limit }) }, 200);
      return streamSSE(c, async (stream) => {
        let seq = afterSeq ?? Number(c.req.header('last-event-id') ?? -1);
        let open = true;
        stream.onAbort(() => {
          open = false;
        });
        while (open) {
          const lines = await store.readLogs(run.id, { afterSeq: seq, limit: 1000 });
          for (const line of lines) {
            await stream.writeSSE({ id: String(line.seq), data: JSON.stringify(line) });
            seq = line.seq;
          }
          if (lines.length === 1000) continue;
          const now = await store.getRun(run.id);
          if (!now || isFinished(now.status)) {
            // Lines written just before the run finished are still to be read once more.
            const rest = await store.readLogs(run.id, { afterSeq: seq, limit: 10_000 });
            for (const line of rest) await stream.writeSSE({ id: String(line.seq), data: JSON.stringify(line) });
            await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: now?.status ?? 'unknown' }) });
            break;
          }
          await stream.sleep(250);
        }
      }) as never;
    },
  );
  app.use('/api/runs/dispatch', requireRole('deployer'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/runs/dispatch',
      tags: ['runs'],
      summary: 'Start a workflow that has on.workflow_dispatch, at the head of the project branch, with its inputs (role deployer)',
      request: {
        body: json(
          z.object({
            project: z.string().describe('Project id or name.'),
            workflow: z.string().describe('Workflow path, file name, or name.'),
            inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
          }),
          'What to start',
        ),
      },
      responses: { 202: json(runSchema, 'The queued run'), ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(runSchema.parse(await engine.dispatch(body.project, body.workflow, body.inputs)), 202);
    },
  );
  app.use('/api/runs/:id/cancel', requireRole('deployer'));
  app.use('/api/runs/:id/rerun', requireRole('deployer'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/runs/{id}/cancel',
      tags: ['runs'],
      summary: 'Cancel a queued or running run: its steps stop, and its containers and networks are removed (role deployer)',
      request: { params: z.object({ id: z.string() }) },
      responses: { 202: json(runSchema, 'Cancel requested; the run finishes as cancelled within seconds'), ...errors },
    }),
    async (c) => {
      const run = await findRun(engine, c.req.valid('param').id);
      const by = c.get('tokenName');
      return c.json(runSchema.parse(await engine.cancelRun(run.id, `cancelled by ${by ? `token ${by}` : 'a user'}`)), 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/runs/{id}/rerun',
      tags: ['runs'],
      summary: 'Run a finished run again as its next attempt: every job, or with failedOnly the failed ones; jobs that succeeded keep their outputs (role deployer)',
      request: { params: z.object({ id: z.string() }), body: { content: { 'application/json': { schema: z.object({ failedOnly: z.boolean().default(false) }) } }, required: false } },
      responses: { 202: json(runSchema, 'The run, queued as its next attempt'), ...errors },
    }),
    async (c) => {
      const run = await findRun(engine, c.req.valid('param').id);
      const body = (await c.req.json().catch(() => ({}))) as { failedOnly?: unknown };
      return c.json(runSchema.parse(await engine.rerun(run.id, { failedOnly: body.failedOnly === true })), 202);
    },
  );
  return app;
}

/** Finds a run by id, or by `<number>` in the only project, as users type it. */
async function findRun(engine: Engine, id: string) {
  const run = await engine.store.getRun(id);
  if (run) return run;
  if (/^\d+$/.test(id)) {
    const projects = await engine.store.listProjects();
    for (const p of projects) {
      const match = (await engine.store.listRuns({ projectId: p.id, limit: 500 })).find((r) => r.number === Number(id));
      if (match && projects.length === 1) return (await engine.store.getRun(match.id))!;
    }
  }
  throw new SlipwayError('SLW_NOT_FOUND', `run ${id} not found`, { hint: 'List runs with `slipway runs`.' });
}
