import { GitHostError, type CommitState, type GitHost, type GitHostTarget } from '@slipway/core';
import { findMarkedComment, type HostComment } from './find-comment.js';
import { requestJson } from './http.js';
import { markedBody } from './marker.js';
import { defaultTimeoutMs, shortDescription, trimBase, type GitHostOptions } from './options.js';

/*
 * GitLab REST API v4: apiUrl is https://<host>/api/v4.
 * - Set the pipeline status of a commit: POST /projects/:id/statuses/:sha with state pending | running | success |
 *   failed | canceled, name (or context), target_url, description. :id is the numeric id or the URL-encoded path.
 *   https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit
 * - Merge request notes: GET and POST /projects/:id/merge_requests/:merge_request_iid/notes (per_page ≤ 100),
 *   PUT /projects/:id/merge_requests/:merge_request_iid/notes/:note_id with { body }. https://docs.gitlab.com/api/notes/#merge-requests
 * - Auth: `PRIVATE-TOKEN: <token>`. https://docs.gitlab.com/api/rest/authentication/
 */
const states: Record<CommitState, string> = { pending: 'running', success: 'success', failure: 'failed', error: 'canceled' };
const pageSize = 100;

export function createGitLabHost(options: GitHostOptions = {}): GitHost {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const call = <T>(target: GitHostTarget, method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, signal: AbortSignal | undefined) =>
    requestJson<T>('GitLab', { method, url: `${trimBase(target.apiUrl)}${path}`, headers: { 'private-token': target.token }, body, timeoutMs, ...(signal ? { signal } : {}) });
  const project = (target: GitHostTarget) => `/projects/${encodeURIComponent(target.repository)}`;

  return {
    kind: 'gitlab',
    async postStatus(target, status, signal) {
      const body = { state: states[status.state], name: status.context, target_url: status.targetUrl, description: shortDescription(status.description) };
      try {
        await call(target, 'POST', `${project(target)}/statuses/${encodeURIComponent(status.sha)}`, body, signal);
      } catch (err) {
        // GitLab answers 400 "Cannot transition status via :run from :running" when the status already has this state
        // (queued and started both map to running): the commit shows what we meant, so this is not a failure.
        if (err instanceof GitHostError && err.status === 400 && /Cannot transition status/i.test(err.message)) return;
        throw err;
      }
    },
    async postComment(target, comment, signal) {
      const notes = `${project(target)}/merge_requests/${comment.pullRequest}/notes`;
      const body = markedBody(comment.body, comment.marker);
      const existing = await findMarkedComment(
        (page) => call<HostComment[]>(target, 'GET', `${notes}?sort=asc&order_by=created_at&per_page=${pageSize}&page=${page}`, undefined, signal),
        pageSize,
        comment.marker,
      );
      if (existing) {
        await call(target, 'PUT', `${notes}/${encodeURIComponent(String(existing.id))}`, { body }, signal);
        return { id: String(existing.id), created: false };
      }
      const created = await call<HostComment>(target, 'POST', notes, { body }, signal);
      return { id: String(created.id), created: true };
    },
  };
}
