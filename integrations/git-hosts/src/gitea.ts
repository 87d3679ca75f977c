import type { GitHost } from '@slipway/core';
import { createIssueApiHost } from './issue-api.js';
import type { GitHostOptions } from './options.js';

/*
 * Gitea API v1 (Forgejo keeps it): apiUrl is https://<host>/api/v1. The reference is each instance's /api/swagger.
 * - CreateStatusOption: POST /repos/{owner}/{repo}/statuses/{sha}, body { state, target_url, description, context },
 *   state pending | success | error | failure. https://docs.gitea.com/api/#tag/repository/operation/repoCreateStatus
 * - Issue comments (a pull request is an issue): GET and POST /repos/{owner}/{repo}/issues/{index}/comments (the list
 *   takes since/before, no paging: one call returns them all), PATCH /repos/{owner}/{repo}/issues/comments/{id} with { body }.
 *   https://docs.gitea.com/api/#tag/issue/operation/issueCreateComment
 * - Auth: `Authorization: token <token>`. https://docs.gitea.com/development/api-usage#authentication
 */
export function createGiteaHost(options: GitHostOptions = {}): GitHost {
  return createIssueApiHost({ kind: 'gitea', name: 'Gitea', headers: (token) => ({ authorization: `token ${token}` }), pageSize: Infinity }, options);
}
