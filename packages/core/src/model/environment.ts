import { z } from 'zod';
import { environmentPolicySchema, targetSchema } from '../config/schema.js';
import { healthStatuses, syncStatuses } from '../health/health.js';
import { roleSchema } from './token.js';

export const healthSchema = z.enum(healthStatuses);
export const syncStatusSchema = z.enum(syncStatuses);

export const environmentRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  position: z.number().int().describe('Order in the promotion chain, starting at 0.'),
  targetType: z.string(),
  target: targetSchema.describe('The target in slipway.yaml at the last commit processed (namespace, cluster secret and context on Kubernetes).'),
  desiredReleaseId: z.string().nullable().describe('The release the reconciler drives this environment towards.'),
  lastGoodReleaseId: z.string().nullable().describe('The newest release that became healthy here.'),
  hold: z.string().nullable().describe('Why auto-promotion is held (set by a rollback), or null.'),
  holdVersion: z.number().int().nullable().describe('The release version a rollback moved away from: releases up to it are not promoted here again.'),
  policy: environmentPolicySchema.describe('The policy in slipway.yaml at the last commit processed.'),
});
export type EnvironmentRecord = z.infer<typeof environmentRecordSchema>;

export const serviceStatusSchema = z.object({
  environmentId: z.string(),
  service: z.string(),
  releaseId: z.string().nullable().describe('The release whose revision is live.'),
  revision: z.string().nullable(),
  health: healthSchema,
  sync: syncStatusSchema,
  url: z.string().nullable(),
  message: z.string().nullable(),
  updatedAt: z.string(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export const gateStatusSchema = z.object({
  gate: z.enum(['ci', 'previous', 'hold', 'approvals', 'window', 'rollback', 'provenance']),
  passed: z.boolean(),
  detail: z.string().describe('What the gate found, in words.'),
  retryAt: z.string().nullable().describe('When a waiting gate may pass by itself (a deploy window opens), or null.'),
});
export type GateStatus = z.infer<typeof gateStatusSchema>;

export const approvalSchema = z.object({
  promotionId: z.string(),
  actor: z.string().describe('Who approved: the API token name, or `local` on an open loopback server.'),
  role: roleSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const promotionSchema = z.object({
  id: z.string(),
  releaseId: z.string(),
  environmentId: z.string(),
  kind: z.enum(['promote', 'rollback']),
  phase: z.enum(['pending', 'running', 'succeeded', 'failed', 'aborted']).describe('pending: waiting on its gates; running: deploying.'),
  manual: z.boolean().describe('Asked for by a person (slipway deploy) rather than by the chain of environments.'),
  gates: z.array(gateStatusSchema).describe('Each gate as last judged.'),
  reason: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Promotion = z.infer<typeof promotionSchema>;

export const deploymentSchema = z.object({
  id: z.string(),
  promotionId: z.string().nullable(),
  environmentId: z.string(),
  releaseId: z.string(),
  phase: z.enum(['progressing', 'succeeded', 'failed', 'rolled-back']),
  services: z.array(z.string()).describe('Services the deployment changed.'),
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Deployment = z.infer<typeof deploymentSchema>;
