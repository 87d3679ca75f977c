import type { GitHost, GitHostTarget } from '@slipway/core';
import { findMarkedComment, type HostComment } from './find-comment.js';
import { requestJson } from './http.js';
import { markedBody } from './marker.js';
import { defaultTimeoutMs, repoPath, shortDescription, trimBase, type GitHostOptions } from './options.js';

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
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const call = <T>(target: GitHostTarget, method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, signal: AbortSignal | undefined) =>
    requestJson<T>('Gitea', { method, url: `${trimBase(target.apiUrl)}${path}`, headers: { authorization: `token ${target.token}` }, body, timeoutMs, ...(signal ? { signal } : {}) });

  return {
    kind: 'gitea',
    async postStatus(target, status, signal) {
      const body = { state: status.state, target_url: status.targetUrl, description: shortDescription(status.description), context: status.context };
      await call(target, 'POST', `/repos/${repoPath(target.repository)}/statuses/${encodeURIComponent(status.sha)}`, body, signal);
    },
    async postComment(target, comment, signal) {
      const repo = repoPath(target.repository);
      const body = markedBody(comment.body, comment.marker);
      const existing = await findMarkedComment(() => call<HostComment[]>(target, 'GET', `/repos/${repo}/issues/${comment.pullRequest}/comments`, undefined, signal), Infinity, comment.marker);
      if (existing) {
        await call(target, 'PATCH', `/repos/${repo}/issues/comments/${encodeURIComponent(String(existing.id))}`, { body }, signal);
        return { id: String(existing.id), created: false };
      }
      const created = await call<HostComment>(target, 'POST', `/repos/${repo}/issues/${comment.pullRequest}/comments`, { body }, signal);
      return { id: String(created.id), created: true };
    },
  };
}
