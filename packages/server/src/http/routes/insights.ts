import { createRoute, z } from '@hono/zod-openapi';
import { doraReportSchema } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { createRouter, errors, json } from '../openapi.js';

export function insightsRoutes(engine: Engine) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{id}/insights',
      tags: ['insights'],
      summary: "DORA's four keys of an environment (default the last, production) over a period (default the last 30 days), with 2024 tiers",
      request: {
        params: z.object({ id: z.string().describe('Project id or name') }),
        query: z.object({ environment: z.string().optional(), from: z.string().optional().describe('ISO 8601 start (inclusive)'), to: z.string().optional().describe('ISO 8601 end (exclusive); default now') }),
      },
      responses: { 200: json(doraReportSchema, 'DORA report'), ...errors },
    }),
    async (c) => c.json(await engine.insights(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  return app;
}
