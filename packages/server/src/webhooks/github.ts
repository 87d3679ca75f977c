import type { PullRequestEvent } from '@slipway/core';
import { branchOf, isSha, num, obj, pushedChanges, pushedSha, str, urlsOf, type Json, type WebhookNotice } from './notice.js';

const repoFields = ['clone_url', 'ssh_url', 'git_url', 'html_url', 'svn_url'];

/**
 * GitHub's `push`, `pull_request` and `ping` events (X-GitHub-Event). Gitea and Forgejo send the same shapes with a
 * few differences, which the `flavor` switches: `synchronized` for new commits and `repo_id` on the PR's head and base.
 */
export function parseGithubLike(event: string, payload: Json, flavor: 'github' | 'gitea' = 'github'): WebhookNotice {
  const repoUrls = urlsOf(obj(payload.repository), repoFields);
  if (event === 'ping') return { kind: 'ping', repoUrls };
  if (event === 'push') {
    const sha = pushedSha(payload.after);
    if (sha === undefined) return { kind: 'ignored', repoUrls, reason: 'the push has no valid `after` commit' };
    // GitHub lists every commit of the push (the 20-commit cap is on timeline events only); Gitea counts them.
    const changes = pushedChanges(payload, flavor === 'gitea' ? num(payload.total_commits) : null);
    return { kind: 'push', repoUrls, branch: branchOf(payload.ref), sha, changes };
  }
  if (event === 'pull_request') {
    const pr = pullRequestOf(payload, flavor);
    return pr ? { kind: 'pull_request', repoUrls, pr } : { kind: 'ignored', repoUrls, reason: 'the pull request event lacks its number, head or base' };
  }
  return { kind: 'ignored', repoUrls, reason: `event ${event || '(none)'} is not handled` };
}

function pullRequestOf(payload: Json, flavor: 'github' | 'gitea'): PullRequestEvent | undefined {
  const pr = obj(payload.pull_request);
  const head = obj(pr.head);
  const base = obj(pr.base);
  const number = num(pr.number) ?? num(payload.number);
  const headRef = str(head.ref);
  const baseRef = str(base.ref);
  if (number === null || !isSha(head.sha) || headRef === null || baseRef === null) return undefined;
  const headRepo = obj(head.repo);
  const headRepoId = num(headRepo.id) ?? num(head.repo_id);
  const baseRepoId = num(obj(base.repo).id) ?? num(base.repo_id) ?? num(obj(payload.repository).id);
  // A head repository that is gone (a deleted fork) counts as a fork: its commits are not the project's own.
  const fork = headRepoId === null || headRepoId !== baseRepoId;
  return {
    number,
    action: actionOf(str(payload.action), flavor),
    title: str(pr.title) ?? '',
    headSha: head.sha,
    headRef,
    baseRef,
    fork,
    headRepoUrl: fork ? str(headRepo.clone_url) : null,
    url: str(pr.html_url),
    author: str(obj(pr.user).login),
  };
}

function actionOf(action: string | null, flavor: 'github' | 'gitea'): PullRequestEvent['action'] {
  if (action === 'opened' || action === 'reopened' || action === 'closed') return action;
  if (action === (flavor === 'github' ? 'synchronize' : 'synchronized')) return 'synchronize';
  return 'other';
}
