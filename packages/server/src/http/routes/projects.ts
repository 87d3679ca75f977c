import { createRoute, z } from '@hono/zod-openapi';
import { gitHostInputSchema, planMarkdown, planPreviewSchema, projectSchema, serviceRecordSchema, SlipwayError, workflowSummarySchema } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { createRouter, errors, json, listOf } from '../openapi.js';

const addProjectSchema = z.object({
  repoUrl: z.string().min(1).describe('Git remote: https, ssh, or a local path.'),
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/).optional().describe('Defaults to the repository name.'),
  branch: z.string().min(1).optional().describe('Branch to follow and release from. Default: main.'),
  ciBranches: z.array(z.string().min(1)).max(50).optional().describe('More branches to run CI on (glob patterns such as `feature/*`); their runs make no release.'),
  pollIntervalMs: z.number().int().min(500).max(3_600_000).optional().describe('Polling interval. Default: 15000.'),
  gitHost: gitHostInputSchema.optional().describe('Where commit statuses and plan comments go; the token is the project secret GIT_HOST_TOKEN.'),
});

const setGitHostSchema = z.object({ gitHost: gitHostInputSchema.nullable().describe('null: post nothing to a git host.') });

export function projectRoutes(engine: Engine) {
  const app = createRouter();
  app.openapi(createRoute({ method: 'get', path: '/api/projects', tags: ['projects'], summary: 'List projects', responses: { 200: json(listOf(projectSchema), 'Projects'), ...errors } }), async (c) =>
    c.json({ items: await engine.store.listProjects() }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/projects/{id}', tags: ['projects'], summary: 'Get a project and its services', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(projectSchema.extend({ services: z.array(serviceRecordSchema) }), 'Project'), ...errors } }),
    async (c) => {
      const project = await engine.store.getProject(c.req.valid('param').id);
      if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${c.req.valid('param').id} not found`);
      return c.json({ ...project, services: await engine.store.listServices(project.id) }, 200);
    },
  );
  app.use('/api/projects', async (c, next) => (c.req.method === 'POST' ? requireRole('admin')(c, next) : next()));
  app.openapi(
    createRoute({ method: 'post', path: '/api/projects', tags: ['projects'], summary: 'Follow a git repository (role admin)', request: { body: json(addProjectSchema, 'The repository') }, responses: { 201: json(projectSchema, 'Added'), ...errors, 409: json(errors[400].content['application/json'].schema, 'Exists') } }),
    async (c) => c.json(await engine.addProject(c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{id}/workflows',
      tags: ['projects'],
      summary: 'The workflows at the head of the branch: events, schedules, and the inputs of those that can be started by hand',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(listOf(workflowSummarySchema), 'Workflows'), ...errors },
    }),
    async (c) => c.json({ items: await engine.listWorkflows(c.req.valid('param').id) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{id}/plan',
      tags: ['projects'],
      summary: "Plan preview: what merging a branch or a pull request would rebuild, and the diff of each environment's desired state",
      request: {
        params: z.object({ id: z.string() }),
        query: z.object({ branch: z.string().optional().describe('A branch of the repository.'), pr: z.coerce.number().int().positive().optional().describe('A pull (merge) request number.'), format: z.enum(['json', 'markdown']).default('json') }),
      },
      responses: { 200: { content: { 'application/json': { schema: planPreviewSchema }, 'text/markdown': { schema: z.string() } }, description: 'The plan preview' }, ...errors },
    }),
    async (c) => {
      const { branch, pr, format } = c.req.valid('query');
      if ((branch === undefined) === (pr === undefined)) throw new SlipwayError('SLW_USAGE', 'give exactly one of branch and pr', { hint: 'For example /api/projects/shop/plan?branch=feature.' });
      const plan = await engine.planPreview(c.req.valid('param').id, branch !== undefined ? { branch } : { pullRequest: pr! });
      if (format === 'markdown') return c.body(planMarkdown(plan), 200, { 'content-type': 'text/markdown; charset=utf-8' }) as never;
      return c.json(plan, 200);
    },
  );
  app.use('/api/projects/:id/git-host', requireRole('admin'));
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/projects/{id}/git-host',
      tags: ['projects'],
      summary: 'Set where commit statuses and plan comments go, or stop them with null (role admin)',
      request: { params: z.object({ id: z.string() }), body: json(setGitHostSchema, 'The git host') },
      responses: { 200: json(projectSchema, 'Updated'), ...errors },
    }),
    async (c) => c.json(await engine.setGitHost(c.req.valid('param').id, c.req.valid('json').gitHost), 200),
  );
  app.use('/api/projects/:id/poll', requireRole('deployer'));
  app.openapi(
    createRoute({ method: 'post', path: '/api/projects/{id}/poll', tags: ['projects'], summary: 'Check the git remote for new commits now (role deployer)', request: { params: z.object({ id: z.string() }) }, responses: { 202: json(z.object({ ok: z.boolean() }), 'Checked'), ...errors } }),
    async (c) => {
      const project = await engine.store.getProject(c.req.valid('param').id);
      if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${c.req.valid('param').id} not found`);
      await engine.pollNow(project.id);
      return c.json({ ok: true }, 202);
    },
  );
  return app;
}
