import type { GitHost, GitHostKind, GitHostTarget } from '@slipway/core';
import { findMarkedComment, type HostComment } from './find-comment.js';
import { requestJson, type HostName } from './http.js';
import { markedBody } from './marker.js';
import { defaultTimeoutMs, repoPath, shortDescription, trimBase, type GitHostOptions } from './options.js';

/** What differs between hosts that share GitHub's statuses and issue-comments endpoints (GitHub, Gitea, Forgejo). */
export interface IssueApiHost {
  kind: GitHostKind;
  /** The host's name in errors. */
  name: HostName;
  headers(token: string): Record<string, string>;
  /** Comments listed per page of this size, or Infinity when one call returns them all. */
  pageSize: number;
}

/**
 * An adapter over `POST /repos/{owner}/{repo}/statuses/{sha}` and `/repos/{owner}/{repo}/issues/{n}/comments` (list,
 * create; PATCH `/issues/comments/{id}` to update), the endpoints GitHub and Gitea both document.
 */
export function createIssueApiHost(host: IssueApiHost, options: GitHostOptions = {}): GitHost {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const call = <T>(target: GitHostTarget, method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, signal: AbortSignal | undefined) =>
    requestJson<T>(host.name, { method, url: `${trimBase(target.apiUrl)}${path}`, headers: host.headers(target.token), body, timeoutMs, ...(signal ? { signal } : {}) });
  const paged = Number.isFinite(host.pageSize);

  return {
    kind: host.kind,
    async postStatus(target, status, signal) {
      const body = { state: status.state, target_url: status.targetUrl, description: shortDescription(status.description), context: status.context };
      await call(target, 'POST', `/repos/${repoPath(target.repository)}/statuses/${encodeURIComponent(status.sha)}`, body, signal);
    },
    async postComment(target, comment, signal) {
      const repo = repoPath(target.repository);
      const body = markedBody(comment.body, comment.marker);
      const list = `/repos/${repo}/issues/${comment.pullRequest}/comments`;
      const existing = await findMarkedComment((page) => call<HostComment[]>(target, 'GET', paged ? `${list}?per_page=${host.pageSize}&page=${page}` : list, undefined, signal), host.pageSize, comment.marker);
      if (existing) {
        await call(target, 'PATCH', `/repos/${repo}/issues/comments/${encodeURIComponent(String(existing.id))}`, { body }, signal);
        return { id: String(existing.id), created: false };
      }
      const created = await call<HostComment>(target, 'POST', list, { body }, signal);
      return { id: String(created.id), created: true };
    },
  };
}
