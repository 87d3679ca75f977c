import { z } from 'zod';

/** A pull (GitHub, Gitea) or merge (GitLab) request as a webhook reports it, in one shape for every host. */
export const pullRequestEventSchema = z.object({
  number: z.number().int().describe('The number of the pull request (GitLab: the merge request iid).'),
  action: z.enum(['opened', 'synchronize', 'reopened', 'closed', 'other']).describe('`synchronize`: new commits were pushed to it.'),
  title: z.string(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  headRef: z.string().describe('The branch with the changes.'),
  baseRef: z.string().describe('The branch it merges into.'),
  fork: z.boolean().describe('From another repository: its runs get no secrets.'),
  /** Where the head commit can be fetched from, when it is not the project's own repository (a fork). */
  headRepoUrl: z.string().nullable(),
  url: z.string().nullable().describe('The pull request page on the host.'),
  author: z.string().nullable(),
});
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
