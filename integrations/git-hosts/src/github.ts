import type { GitHost } from '@slipway/core';
import { createIssueApiHost } from './issue-api.js';
import type { GitHostOptions } from './options.js';

/*
 * GitHub REST API, version 2022-11-28 (GitHub Enterprise Server: apiUrl https://<host>/api/v3).
 * - Create a commit status: POST /repos/{owner}/{repo}/statuses/{sha}, body { state, target_url, description, context },
 *   state error | failure | pending | success. https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
 * - Issue comments (a pull request is an issue): GET and POST /repos/{owner}/{repo}/issues/{issue_number}/comments
 *   (per_page ≤ 100, ascending id), PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} with { body }.
 *   https://docs.github.com/en/rest/issues/comments
 * - Auth: `Authorization: Bearer <token>`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version`; a User-Agent is required.
 *   https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api
 */
export function createGitHubHost(options: GitHostOptions = {}): GitHost {
  return createIssueApiHost({ kind: 'github', name: 'GitHub', headers: (token) => ({ authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }), pageSize: 100 }, options);
}
