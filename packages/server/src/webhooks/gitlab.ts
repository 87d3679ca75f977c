import type { PullRequestEvent } from '@slipway/core';
import { branchOf, isSha, num, obj, pushedChanges, pushedSha, str, urlsOf, type Json, type WebhookNotice } from './notice.js';

const projectFields = ['git_http_url', 'git_ssh_url', 'web_url', 'http_url', 'ssh_url', 'url'];
const repositoryFields = ['git_http_url', 'git_ssh_url', 'homepage', 'url'];

/** GitLab's Push Hook and Merge Request Hook, told apart by `object_kind` (X-Gitlab-Event says the same in words). */
export function parseGitlab(payload: Json): WebhookNotice {
  const repoUrls = [...urlsOf(obj(payload.project), projectFields), ...urlsOf(obj(payload.repository), repositoryFields)];
  const kind = str(payload.object_kind);
  if (kind === 'push') {
    const sha = pushedSha(payload.after);
    if (sha === undefined) return { kind: 'ignored', repoUrls, reason: 'the push has no valid `after` commit' };
    // GitLab lists at most 20 commits; total_commits_count says whether that is all of them.
    return { kind: 'push', repoUrls, branch: branchOf(payload.ref), sha, changes: pushedChanges(payload, num(payload.total_commits_count)) };
  }
  if (kind === 'tag_push') return { kind: 'push', repoUrls, branch: null, sha: pushedSha(payload.after) ?? null, changes: { before: null, files: null } };
  if (kind === 'merge_request') {
    const pr = mergeRequestOf(payload);
    return pr ? { kind: 'pull_request', repoUrls, pr } : { kind: 'ignored', repoUrls, reason: 'the merge request event lacks its iid, last commit or branches' };
  }
  return { kind: 'ignored', repoUrls, reason: `object_kind ${kind ?? '(none)'} is not handled` };
}

function mergeRequestOf(payload: Json): PullRequestEvent | undefined {
  const mr = obj(payload.object_attributes);
  const number = num(mr.iid);
  const headSha = obj(mr.last_commit).id;
  const headRef = str(mr.source_branch);
  const baseRef = str(mr.target_branch);
  if (number === null || !isSha(headSha) || headRef === null || baseRef === null) return undefined;
  const sourceId = num(mr.source_project_id);
  const fork = sourceId === null || sourceId !== num(mr.target_project_id);
  return {
    number,
    action: actionOf(str(mr.action), mr.oldrev),
    title: str(mr.title) ?? '',
    headSha,
    headRef,
    baseRef,
    fork,
    headRepoUrl: fork ? str(obj(mr.source).git_http_url) : null,
    url: str(mr.url),
    author: str(obj(payload.user).username),
  };
}

/** GitLab says `update` for any change; new commits are the updates that carry `oldrev`. Merged counts as closed. */
function actionOf(action: string | null, oldrev: unknown): PullRequestEvent['action'] {
  if (action === 'open') return 'opened';
  if (action === 'reopen') return 'reopened';
  if (action === 'close' || action === 'merge') return 'closed';
  if (action === 'update' && isSha(oldrev)) return 'synchronize';
  return 'other';
}
