import { z } from 'zod';

const fieldChange = z.object({ field: z.string().describe('revision, command, port, health, or env.NAME'), from: z.string().nullable(), to: z.string().nullable() });

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
