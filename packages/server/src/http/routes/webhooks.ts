import { createRoute, z } from '@hono/zod-openapi';
import { SlipwayError } from '@slipway/core';
import { createRouter, errorBodySchema, json } from '../openapi.js';
import { gitHostKinds } from '../../webhooks/hosts.js';
import type { WebhookReceiver } from '../../webhooks/receive.js';

/** GitHub caps a delivery at 25 MB; anything larger is not from a git host. */
const maxBodyBytes = 25 * 1024 * 1024;

const resultSchema = z.object({
  delivery: z.string().describe('The host\'s delivery id (X-GitHub-Delivery, X-Gitlab-Event-UUID, X-Gitea-Delivery), else sha256 of the body.'),
  event: z.string().describe('The host\'s event name.'),
  duplicate: z.boolean().describe('True when this delivery id was handled before: nothing was done.'),
  projects: z.array(
    z.object({
      projectId: z.string(),
      name: z.string(),
      outcome: z.enum(['queued', 'known', 'ignored', 'pull-request']).describe('queued: the pushed commit was fetched and queued; known: it was processed already.'),
      detail: z.string(),
    }),
  ),
});

const headers = z.object({
  'x-hub-signature-256': z.string().optional().describe('GitHub: sha256=<HMAC-SHA256 of the body, hex>.'),
  'x-gitlab-token': z.string().optional().describe('GitLab: the secret token.'),
  'x-gitea-signature': z.string().optional().describe('Gitea (Forgejo: X-Forgejo-Signature): HMAC-SHA256 of the body, hex.'),
});

/**
 * Webhook receivers. They carry no API token: the auth middleware lets /api/webhooks/ through, and the host's signature
 * (or GitLab's token) over the raw body is checked against the project's WEBHOOK_SECRET instead.
 */
export function webhookRoutes(receiver: WebhookReceiver) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/webhooks/{host}',
      tags: ['webhooks'],
      summary: 'Receive a push or pull/merge request webhook from GitHub, GitLab or Gitea/Forgejo (no API token: signed with the project secret WEBHOOK_SECRET)',
      description: 'The body is the host\'s JSON payload, read raw for the signature. A delivery id seen before returns 200 with duplicate: true and does nothing.',
      request: { params: z.object({ host: z.enum(gitHostKinds) }), headers },
      responses: {
        200: json(resultSchema, 'A replay: nothing done'),
        202: json(resultSchema, 'Accepted and acted on'),
        400: json(errorBodySchema, 'Not a JSON payload'),
        401: json(errorBodySchema, 'The signature or token does not match (SLW_WEBHOOK_UNVERIFIED)'),
        404: json(errorBodySchema, 'No project follows the repository'),
      },
    }),
    async (c) => {
      if (Number(c.req.header('content-length') ?? 0) > maxBodyBytes) throw new SlipwayError('SLW_API_BAD_REQUEST', `the body is larger than ${maxBodyBytes} bytes`);
      const body = new Uint8Array(await c.req.arrayBuffer());
      const result = await receiver.receive({ host: c.req.valid('param').host, header: (name) => c.req.header(name), body });
      return c.json(result, result.duplicate ? 200 : 202);
    },
  );
  return app;
}
