import { createRoute, z } from '@hono/zod-openapi';
import { rolloutSchema, SlipwayError } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { createRouter, errors, json, limitQuery, listOf } from '../openapi.js';

/** Progressive rollouts (canary, blue-green): list, read, and promote, pause, resume or abort by hand (role deployer). */
export function rolloutRoutes(engine: Engine) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/rollouts',
      tags: ['environments'],
      summary: 'List rollouts (canary, blue-green), newest first, with their steps, weight and measurements',
      request: { query: z.object({ environmentId: z.string().optional(), projectId: z.string().optional(), limit: limitQuery }) },
      responses: { 200: json(listOf(rolloutSchema), 'Rollouts'), ...errors },
    }),
    async (c) => c.json({ items: await engine.listRollouts(c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/rollouts/{id}', tags: ['environments'], summary: 'A rollout', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(rolloutSchema, 'Rollout'), ...errors } }),
    async (c) => {
      const rollout = await engine.store.getRollout(c.req.valid('param').id);
      if (!rollout) throw new SlipwayError('SLW_NOT_FOUND', `rollout ${c.req.valid('param').id} not found`, { hint: 'List rollouts with `slipway rollouts`.' });
      return c.json(rollout, 200);
    },
  );
  app.use('/api/rollouts/:id/:action', requireRole('deployer'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/rollouts/{id}/{action}',
      tags: ['environments'],
      summary: 'Promote (the next step, or full), pause, resume or abort a rollout (role deployer)',
      request: {
        params: z.object({ id: z.string(), action: z.enum(['promote', 'pause', 'resume', 'abort']) }),
        body: { ...json(z.object({ full: z.boolean().optional().describe('promote: all traffic to the new version at once.') }), 'Options'), required: false },
      },
      responses: { 200: json(rolloutSchema, 'The rollout after the action'), ...errors },
    }),
    async (c) => {
      const { id, action } = c.req.valid('param');
      const body = (c.req.valid('json') as { full?: boolean } | undefined) ?? {};
      return c.json(await engine.rolloutAction(id, action, c.get('tokenName') ?? 'local', body), 200);
    },
  );
  return app;
}
