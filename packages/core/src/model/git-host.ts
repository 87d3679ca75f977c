import { z } from 'zod';

/** The git hosts Slipway can post commit statuses and pull request comments to. Gitea covers Forgejo, which keeps its API. */
export const gitHostKinds = ['github', 'gitlab', 'gitea'] as const;
export type GitHostKind = (typeof gitHostKinds)[number];

/** Where a project's feedback goes. The token is not here: it is the project's secret GIT_HOST_TOKEN. */
export const gitHostSettingsSchema = z.object({
  kind: z.enum(gitHostKinds).describe('Which API to speak: github, gitlab or gitea (Gitea and Forgejo).'),
  apiUrl: z.string().url().describe('Base URL of the host API, for example https://api.github.com or https://gitlab.com/api/v4.'),
  repository: z.string().min(1).describe('The repository on the host: owner/repo, or the GitLab project path or numeric id.'),
});
export type GitHostSettings = z.infer<typeof gitHostSettingsSchema>;

/** What a user gives: the API URL and the repository may be left out when the repository URL tells them. */
export const gitHostInputSchema = z.object({
  kind: z.enum(gitHostKinds).describe('github, gitlab or gitea.'),
  apiUrl: z.string().url().optional().describe('Base URL of the host API. Default: https://api.github.com for github.com and https://gitlab.com/api/v4 for gitlab.com; required for other hosts.'),
  repository: z.string().min(1).optional().describe('owner/repo, or the GitLab project path or id. Default: the path of the repository URL.'),
});
export type GitHostInput = z.infer<typeof gitHostInputSchema>;

/** The name of the project secret that holds the host API token. */
export const gitHostTokenSecret = 'GIT_HOST_TOKEN';
