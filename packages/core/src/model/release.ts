import { z } from 'zod';

export const releaseServiceSchema = z.object({
  revision: z.string().describe('Content hash of the service: its source tree, shared paths and config. Equal revisions need no redeploy.'),
  commitSha: z.string().describe('Commit the service was built from.'),
  artifact: z.string().describe('Where the built artifact lives (a directory for the local target).'),
  config: z.record(z.string(), z.unknown()).describe('The service config rendered for this release.'),
});
export type ReleaseService = z.infer<typeof releaseServiceSchema>;

export const releaseSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  version: z.number().int().describe('Sequence number of the release in its project.'),
  commitSha: z.string(),
  services: z.record(z.string(), releaseServiceSchema),
  changedServices: z.array(z.string()).describe('Services whose revision differs from the previous release.'),
  createdAt: z.string(),
});
export type Release = z.infer<typeof releaseSchema>;
