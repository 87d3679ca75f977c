import { createRoute, z } from '@hono/zod-openapi';
import { apiTokenSchema, roleSchema, SlipwayError } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { hashToken, newToken } from '../../auth/tokens.js';
import { createRouter, errors, json, listOf } from '../openapi.js';

export function tokenRoutes(engine: Engine) {
  const app = createRouter();
  app.use('/api/tokens', requireRole('admin'));
  app.use('/api/tokens/*', requireRole('admin'));
  app.openapi(createRoute({ method: 'get', path: '/api/tokens', tags: ['auth'], summary: 'List API tokens (role admin); secrets are never returned', responses: { 200: json(listOf(apiTokenSchema), 'Tokens'), ...errors } }), async (c) =>
    c.json({ items: await engine.store.listTokens() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      tags: ['auth'],
      summary: 'Create an API token (role admin). The secret is shown once.',
      request: { body: json(z.object({ name: z.string().min(1).max(80), role: roleSchema }), 'Token') },
      responses: { 201: json(apiTokenSchema.extend({ token: z.string() }), 'Created'), ...errors },
    }),
    async (c) => {
      const { name, role } = c.req.valid('json');
      const token = newToken();
      const saved = await engine.store.createToken({ name, role, hash: hashToken(token) });
      return c.json({ ...saved, token }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/tokens/{id}', tags: ['auth'], summary: 'Revoke an API token (role admin)', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(z.object({ ok: z.boolean() }), 'Revoked'), ...errors } }),
    async (c) => {
      if (!(await engine.store.deleteToken(c.req.valid('param').id))) throw new SlipwayError('SLW_NOT_FOUND', 'token not found');
      return c.json({ ok: true }, 200);
    },
  );
  return app;
}
