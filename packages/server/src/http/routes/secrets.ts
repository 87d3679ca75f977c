import { createRoute, z } from '@hono/zod-openapi';
import { normalizeSecretName, secretSchema, SlipwayError } from '@slipway/core';
import type { Engine, SecretBox } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { createRouter, errors, json, listOf } from '../openapi.js';

/** GitHub's limit on one secret value. */
const maxValueBytes = 48 * 1024;

const nameParam = z.object({ name: z.string().describe('Secret name; case-insensitive, stored upper case.') });
const projectQuery = z.object({ projectId: z.string().min(1).optional().describe('Project id or name; leave out for a global secret.') });

/**
 * Secrets: values go in (sealed here, before the store sees them) and never come out. Reads list names only; the runner
 * gets values through the engine's secret resolver, not through the API.
 */
export function secretRoutes(engine: Engine, box: SecretBox) {
  const { store, bus } = engine;
  const app = createRouter();
  const projectIdOf = async (idOrName: string | undefined): Promise<string | null> => {
    if (idOrName === undefined) return null;
    const project = await store.getProject(idOrName);
    if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${idOrName} not found`);
    return project.id;
  };
  const scopeText = (projectId: string | null) => (projectId ? `project ${projectId}` : 'global');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/secrets',
      tags: ['secrets'],
      summary: 'List secret names (values are never returned). With projectId, that project\'s own secrets only.',
      request: { query: projectQuery },
      responses: { 200: json(listOf(secretSchema), 'Secret names'), ...errors },
    }),
    async (c) => {
      const { projectId } = c.req.valid('query');
      return c.json({ items: await store.listSecrets(projectId === undefined ? undefined : await projectIdOf(projectId)) }, 200);
    },
  );

  app.use('/api/secrets/*', async (c, next) => (c.req.method === 'GET' ? next() : requireRole('admin')(c, next)));
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/secrets/{name}',
      tags: ['secrets'],
      summary: 'Set a secret (role admin). The value is encrypted before it is stored and is never returned.',
      request: {
        params: nameParam,
        body: json(
          z.object({
            value: z.string().min(1).refine((v) => Buffer.byteLength(v) <= maxValueBytes, `at most ${maxValueBytes} bytes`).describe('The plaintext value.'),
            projectId: z.string().min(1).optional().describe('Project id or name; leave out for a global secret.'),
          }),
          'The value',
        ),
      },
      responses: { 200: json(secretSchema, 'Set'), ...errors },
    }),
    async (c) => {
      const name = normalizeSecretName(c.req.valid('param').name);
      const body = c.req.valid('json');
      const projectId = await projectIdOf(body.projectId);
      await store.putSecret({ projectId, name, ciphertext: box.seal(body.value) });
      const saved = (await store.listSecrets(projectId)).find((s) => s.name === name)!;
      await bus.emit({ kind: 'secret.set', message: `secret ${name} set (${scopeText(projectId)})`, projectId, subject: `secret:${name}`, data: { name, by: c.get('tokenName') } });
      return c.json(saved, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/secrets/{name}',
      tags: ['secrets'],
      summary: 'Delete a secret (role admin)',
      request: { params: nameParam, query: projectQuery },
      responses: { 200: json(z.object({ ok: z.boolean() }), 'Deleted'), ...errors },
    }),
    async (c) => {
      const name = normalizeSecretName(c.req.valid('param').name);
      const projectId = await projectIdOf(c.req.valid('query').projectId);
      if (!(await store.deleteSecret(projectId, name))) throw new SlipwayError('SLW_NOT_FOUND', `secret ${name} not found (${scopeText(projectId)})`);
      await bus.emit({ kind: 'secret.deleted', message: `secret ${name} deleted (${scopeText(projectId)})`, projectId, subject: `secret:${name}`, data: { name, by: c.get('tokenName') } });
      return c.json({ ok: true }, 200);
    },
  );
  return app;
}
