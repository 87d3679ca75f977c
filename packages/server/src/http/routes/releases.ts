import { createRoute, z } from '@hono/zod-openapi';
import { approvalSchema, deploymentSchema, environmentDiffSchema, environmentRecordSchema, environmentResourcesSchema, promotionSchema, releaseSchema, releaseVerificationSchema, SlipwayError } from '@slipway/core';
import type { Engine } from '@slipway/engine';
import { requireRole } from '../../auth/middleware.js';
import { createRouter, errors, json, limitQuery, listOf } from '../openapi.js';

export function releaseRoutes(engine: Engine) {
  const app = createRouter();
  const { store } = engine;
  app.openapi(
    createRoute({ method: 'get', path: '/api/releases', tags: ['releases'], summary: 'List releases, newest first', request: { query: z.object({ projectId: z.string().optional(), limit: limitQuery }) }, responses: { 200: json(listOf(releaseSchema), 'Releases'), ...errors } }),
    async (c) => c.json({ items: await store.listReleases(c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/releases/{id}', tags: ['releases'], summary: 'Get a release', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(releaseSchema, 'Release'), ...errors } }),
    async (c) => {
      const release = await store.getRelease(c.req.valid('param').id);
      if (!release) throw new SlipwayError('SLW_NOT_FOUND', `release ${c.req.valid('param').id} not found`);
      return c.json(release, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/releases/{id}/verify',
      tags: ['releases'],
      summary: "Verify a release's images: the signed provenance (Slipway's DSSE check and sigstore-js), its subject digest, the builder, and what the registry holds",
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(releaseVerificationSchema, 'Verification report (verified may be false)'), ...errors },
    }),
    async (c) => c.json(await engine.verifyRelease(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/signing-key',
      tags: ['releases'],
      summary: "Slipway's public key for provenance signatures (PKIX PEM), to verify offline with cosign or sigstore-js",
      responses: { 200: json(z.object({ keyid: z.string(), publicKey: z.string() }), 'Public key'), ...errors },
    }),
    async (c) => {
      const key = await engine.signingKey();
      if (!key) throw new SlipwayError('SLW_NOT_FOUND', 'this server signs nothing: it has no image tools', { hint: 'Start the server where a Docker daemon answers.' });
      return c.json(key, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/environments', tags: ['environments'], summary: 'List environments', request: { query: z.object({ projectId: z.string().optional() }) }, responses: { 200: json(listOf(environmentRecordSchema), 'Environments'), ...errors } }),
    async (c) => c.json({ items: await store.listEnvironments(c.req.valid('query').projectId) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/deployments', tags: ['environments'], summary: 'List deployments, newest first', request: { query: z.object({ environmentId: z.string().optional(), limit: limitQuery }) }, responses: { 200: json(listOf(deploymentSchema), 'Deployments'), ...errors } }),
    async (c) => c.json({ items: await store.listDeployments(c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/promotions', tags: ['environments'], summary: 'List promotions, newest first', request: { query: z.object({ environmentId: z.string().optional(), releaseId: z.string().optional(), projectId: z.string().optional(), phase: promotionSchema.shape.phase.optional(), limit: limitQuery, offset: z.coerce.number().int().min(0).optional().describe('Skip this many, for the next page.') }) }, responses: { 200: json(listOf(promotionSchema), 'Promotions'), ...errors } }),
    async (c) => c.json({ items: await store.listPromotions(c.req.valid('query')) }, 200),
  );
  const promotionDetail = z.object({ promotion: promotionSchema, approvals: z.array(approvalSchema) });
  app.openapi(
    createRoute({ method: 'get', path: '/api/promotions/{id}', tags: ['environments'], summary: 'A promotion with its gates and approvals', request: { params: z.object({ id: z.string() }) }, responses: { 200: json(promotionDetail, 'Promotion'), ...errors } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const promotion = await store.getPromotion(id);
      if (!promotion) throw new SlipwayError('SLW_NOT_FOUND', `promotion ${id} not found`, { hint: 'List promotions with `slipway promotions`.' });
      return c.json({ promotion, approvals: await store.listApprovals(id) }, 200);
    },
  );
  app.use('/api/promotions/:id/approve', requireRole('approver'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/promotions/{id}/approve',
      tags: ['environments'],
      summary: "Approve a waiting promotion (role approver, or the environment's approverRole)",
      request: { params: z.object({ id: z.string() }), body: json(z.object({ reason: z.string().max(500).optional() }), 'Why') },
      responses: { 200: json(promotionDetail, 'The promotion and its approvals'), ...errors },
    }),
    async (c) => {
      const actor = { name: c.get('tokenName') ?? 'local', role: c.get('role') };
      return c.json(await engine.approve(c.req.valid('param').id, actor, c.req.valid('json').reason ?? null), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/environments/{id}/diff',
      tags: ['environments'],
      summary: 'The desired state (the environment\'s release, or another) against what runs, per service',
      request: { params: z.object({ id: z.string() }), query: z.object({ releaseId: z.string().optional().describe('Compare this release instead of the desired one.') }) },
      responses: { 200: json(environmentDiffSchema, 'Diff'), ...errors },
    }),
    async (c) => c.json(await engine.diff(c.req.valid('param').id, c.req.valid('query').releaseId), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/environments/{id}/resources',
      tags: ['environments'],
      summary: "Each service's objects on the environment's target (Kubernetes), with their health and drift, and a Deployment's pods",
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: json(environmentResourcesSchema, 'Resource tree (supported is false on targets without objects)'), ...errors },
    }),
    async (c) => c.json(await engine.environmentResources(c.req.valid('param').id), 200),
  );
  app.use('/api/environments/:id/deploy', requireRole('deployer'));
  app.use('/api/environments/:id/rollback', requireRole('deployer'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/environments/{id}/deploy',
      tags: ['environments'],
      summary: 'Promote a release into an environment (role deployer)',
      request: { params: z.object({ id: z.string() }), body: json(z.object({ releaseId: z.string() }), 'The release') },
      responses: { 202: json(promotionSchema, 'Promotion started'), ...errors },
    }),
    async (c) => c.json(await engine.deploy(c.req.valid('param').id, c.req.valid('json').releaseId), 202),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/environments/{id}/rollback',
      tags: ['environments'],
      summary: 'Roll back to the previous healthy release, or to a named one, and hold auto-promotion (role deployer)',
      request: { params: z.object({ id: z.string() }), body: { ...json(z.object({ releaseId: z.string().optional().describe('The release to go back to; default the last one that was healthy here before the current one.') }), 'Where to'), required: false } },
      responses: { 202: json(promotionSchema, 'Rollback started'), ...errors },
    }),
    async (c) => c.json(await engine.rollback(c.req.valid('param').id, (c.req.valid('json') as { releaseId?: string } | undefined)?.releaseId), 202),
  );
  return app;
}
