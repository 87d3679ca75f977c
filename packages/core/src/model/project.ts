import { z } from 'zod';
import { gitHostSettingsSchema } from './git-host.js';

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  repoUrl: z.string().describe('Git remote: https, ssh or a local path.'),
  branch: z.string(),
  pollIntervalMs: z.number().int(),
  lastCommitSha: z.string().nullable().describe('The newest commit Slipway has processed.'),
  ciBranches: z.array(z.string()).describe('More branches to run CI on, as glob patterns (`feature/*`); only `branch` makes releases.'),
  gitHost: gitHostSettingsSchema.nullable().describe('Where commit statuses and pull request comments go; null: nowhere.'),
  createdAt: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

export const serviceRecordSchema = z.object({
  projectId: z.string(),
  name: z.string(),
  path: z.string(),
  dependsOn: z.array(z.string()),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;
