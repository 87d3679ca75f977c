import { z } from 'zod';

export const fieldChangeSchema = z.object({ field: z.string().describe('revision, command, port, health, or env.NAME'), from: z.string().nullable(), to: z.string().nullable() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;
const fieldChange = fieldChangeSchema;

/** What merging a branch or a pull request would change: the services it rebuilds and each environment's desired state. */
export const planPreviewSchema = z.object({
  projectId: z.string(),
  head: z.object({ ref: z.string(), sha: z.string() }).describe('The branch or pull request, and its commit.'),
  base: z.object({ ref: z.string(), sha: z.string() }).describe('The branch it would merge into, and its head.'),
  mergeBase: z.string().nullable(),
  changedFiles: z.array(z.string()).describe('Files changed since the merge base.'),
  services: z.array(
    z.object({
      service: z.string(),
      rebuild: z.boolean().describe("Its revision differs from the last release's: merging builds it again."),
      reason: z.string().describe('Which changed path (or config) triggers it, or why not.'),
    }),
  ),
  environments: z.array(
    z.object({
      environment: z.string(),
      currentRelease: z.number().int().nullable().describe('Version of the release the environment runs now.'),
      services: z.array(z.object({ service: z.string(), change: z.enum(['added', 'removed', 'changed']), fields: z.array(fieldChange) })),
    }),
  ),
  workflows: z.array(z.object({ workflow: z.string(), triggered: z.boolean(), reason: z.string() })).describe('The workflows a pull request runs.'),
  errors: z.array(z.string()).describe('Problems that stop the plan, such as an invalid slipway.yaml at the head.'),
});
export type PlanPreview = z.infer<typeof planPreviewSchema>;

/** What `slipway diff <env>` shows: per service, the desired state (the environment's release, or another) against what runs. */
export const environmentDiffSchema = z.object({
  environment: z.string(),
  desiredRelease: z.object({ id: z.string(), version: z.number().int() }).nullable(),
  inSync: z.boolean().describe('Every service runs its desired revision, healthy or not.'),
  services: z.array(
    z.object({
      service: z.string(),
      desired: z.object({ revision: z.string(), releaseVersion: z.number().int() }).nullable().describe('Null when the release no longer has the service (it would be removed).'),
      live: z.object({ revision: z.string().nullable(), releaseVersion: z.number().int().nullable(), health: z.string(), url: z.string().nullable() }).nullable().describe('Null when nothing runs.'),
      sync: z.enum(['synced', 'out-of-sync']),
      fields: z.array(fieldChangeSchema).describe('What deploying the desired state would change, field by field.'),
    }),
  ),
});
export type EnvironmentDiff = z.infer<typeof environmentDiffSchema>;
