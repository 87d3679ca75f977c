import { z } from 'zod';

/** The closed list of event kinds. Events are append-only and feed the audit log, notifications and DORA metrics. */
export const eventKinds = [
  'project.added',
  'project.updated',
  'commit.seen',
  'config.invalid',
  'run.queued',
  'run.started',
  'run.succeeded',
  'run.failed',
  'run.retried',
  'run.cancelled',
  'run.rerun',
  'job.succeeded',
  'job.failed',
  'service.triggered',
  'service.skipped',
  'release.created',
  'release.skipped',
  'image.pushed',
  'promotion.created',
  'promotion.waiting',
  'promotion.approved',
  'promotion.aborted',
  'promotion.started',
  'promotion.succeeded',
  'promotion.failed',
  'promotion.refused',
  'deployment.started',
  'deployment.resumed',
  'deployment.succeeded',
  'deployment.failed',
  'deployment.rolled-back',
  'health.changed',
  'drift.detected',
  'drift.healed',
  'rollout.started',
  'rollout.measured',
  'rollout.step',
  'rollout.paused',
  'rollout.resumed',
  'rollout.promoted',
  'rollout.aborted',
  'rollout.switched-back',
  'environment.removed',
  'source.error',
  'server.started',
  'auth.denied',
  'secret.set',
  'secret.deleted',
  /** A verified webhook delivery (data: host, event, delivery, projects); never the secret or the signature. */
  'webhook.received',
  /** A webhook that failed its check and triggered nothing (data: host, event, delivery, reason). */
  'webhook.rejected',
  /** A pull request was opened, updated or closed (data: number, action, headSha, headRef, baseRef, fork). */
  'pull_request.received',
  'feedback.failed',
  'notification.sent',
  'notification.failed',
  /** A pull request's plan preview (data: pullRequest, sha, markdown); the feedback subscriber posts it as a PR comment. */
  'plan.created',
] as const;
export type EventKind = (typeof eventKinds)[number];

export const eventSchema = z.object({
  seq: z.number().int().describe('Position in the log; strictly increasing.'),
  ts: z.string(),
  kind: z.enum(eventKinds),
  projectId: z.string().nullable(),
  subject: z.string().nullable().describe('What the event is about, as `kind:id` (run:…, release:…, environment:…).'),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type SlipwayEvent = z.infer<typeof eventSchema>;
export type NewEvent = Omit<SlipwayEvent, 'seq' | 'ts' | 'data' | 'projectId' | 'subject'> & {
  projectId?: string | null;
  subject?: string | null;
  data?: Record<string, unknown>;
};
