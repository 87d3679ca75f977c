import { createRoute } from '@hono/zod-openapi';
import { statusSchema } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { buildStatus } from '../../status.js';
import { createRouter, errors, json } from '../openapi.js';

export function statusRoutes(engine: Engine) {
  const app = createRouter();
  app.openapi(createRoute({ method: 'get', path: '/api/status', tags: ['status'], summary: 'Which release runs where, with its health', responses: { 200: json(statusSchema, 'Status'), ...errors } }), async (c) =>
    c.json(await buildStatus(engine.store), 200),
  );
  return app;
}
