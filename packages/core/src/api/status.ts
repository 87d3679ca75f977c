import { z } from 'zod';
import { gateStatusSchema, healthSchema, syncStatusSchema, serviceStatusSchema } from '../model/environment.js';
import { gitHostSettingsSchema } from '../model/git-host.js';

export const environmentStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  target: z.string(),
  health: healthSchema.describe('The worst health of the services in the environment.'),
  sync: syncStatusSchema,
  desiredRelease: z.object({ id: z.string(), version: z.number().int(), commitSha: z.string() }).nullable(),
  hold: z.string().nullable(),
  waiting: z
    .array(z.object({ promotionId: z.string(), version: z.number().int(), kind: z.enum(['promote', 'rollback']), waitingOn: z.array(gateStatusSchema) }))
    .describe('Promotions into the environment that wait on their gates, newest first.'),
  services: z.array(serviceStatusSchema.extend({ releaseVersion: z.number().int().nullable() })),
});
export type EnvironmentStatus = z.infer<typeof environmentStatusSchema>;

export const projectStatusSchema = z.object({
  project: z.object({ id: z.string(), name: z.string(), lastCommitSha: z.string().nullable(), gitHost: gitHostSettingsSchema.nullable().describe('Where commit statuses go.') }),
  environments: z.array(environmentStatusSchema),
});

/** What `slipway status` and GET /api/status return: which release runs where, with its health. */
export const statusSchema = z.object({ projects: z.array(projectStatusSchema) });
export type StatusReport = z.infer<typeof statusSchema>;
