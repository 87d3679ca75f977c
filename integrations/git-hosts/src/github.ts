import type { GitHost, GitHostTarget } from '@slipway/core';
import { findMarkedComment, type HostComment } from './find-comment.js';
import { requestJson } from './http.js';
import { markedBody } from './marker.js';
import { defaultTimeoutMs, repoPath, shortDescription, trimBase, type GitHostOptions } from './options.js';

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
const pageSize = 100;

export function createGitHubHost(options: GitHostOptions = {}): GitHost {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const call = <T>(target: GitHostTarget, method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, signal: AbortSignal | undefined) =>
    requestJson<T>('GitHub', {
      method,
      url: `${trimBase(target.apiUrl)}${path}`,
      headers: { authorization: `Bearer ${target.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      body,
      timeoutMs,
      ...(signal ? { signal } : {}),
    });

  return {
    kind: 'github',
    async postStatus(target, status, signal) {
      const body = { state: status.state, target_url: status.targetUrl, description: shortDescription(status.description), context: status.context };
      await call(target, 'POST', `/repos/${repoPath(target.repository)}/statuses/${encodeURIComponent(status.sha)}`, body, signal);
    },
    async postComment(target, comment, signal) {
      const repo = repoPath(target.repository);
      const body = markedBody(comment.body, comment.marker);
      const existing = await findMarkedComment(
        (page) => call<HostComment[]>(target, 'GET', `/repos/${repo}/issues/${comment.pullRequest}/comments?per_page=${pageSize}&page=${page}`, undefined, signal),
        pageSize,
        comment.marker,
      );
      if (existing) {
        await call(target, 'PATCH', `/repos/${repo}/issues/comments/${encodeURIComponent(String(existing.id))}`, { body }, signal);
        return { id: String(existing.id), created: false };
      }
      const created = await call<HostComment>(target, 'POST', `/repos/${repo}/issues/${comment.pullRequest}/comments`, { body }, signal);
      return { id: String(created.id), created: true };
    },
  };
}
