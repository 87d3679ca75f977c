import type { ExpressionValue } from '@slipway/core';
import type { GithubRun } from '@slipway/runner';

/** What a local run knows about the repository it runs from. */
export interface RepoFacts {
  /** HEAD's commit, or forty zeros outside git or before the first commit. */
  sha: string;
  /** The current branch; null when HEAD is detached or there is no git. */
  branch: string | null;
  /** `owner/repo` from the origin remote, else the directory name. */
  repository: string;
  actor: string;
  /** HEAD's commit message, for the push payload. */
  message: string;
}

export const zeroSha = '0'.repeat(40);

/** `owner/repo` from a git remote URL (scp-like, ssh, https or file), or undefined. Pure. */
export function repositoryFromRemote(url: string): string | undefined {
  const m = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The github context of a local run: the ref of the current branch and a minimal payload for the event, with the fields
 * workflows read most (ref, head_commit, pull_request head and base, inputs as strings, as GitHub gives them). Pure.
 */
export function githubRunFor(facts: RepoFacts, event: string, inputs: Record<string, ExpressionValue>, runId: string, schedule?: string): GithubRun {
  const branch = facts.branch ?? 'HEAD';
  let ref = `refs/heads/${branch}`;
  let refName = branch;
  const repository = { full_name: facts.repository, name: facts.repository.split('/').pop() ?? facts.repository, default_branch: 'main' };
  const sender = { login: facts.actor };
  let payload: Record<string, ExpressionValue>;
  switch (event) {
    case 'push':
      payload = { ref, before: zeroSha, after: facts.sha, created: false, deleted: false, forced: false, head_commit: { id: facts.sha, message: facts.message }, pusher: { name: facts.actor }, repository, sender };
      break;
    case 'pull_request':
    case 'pull_request_target':
      ref = 'refs/pull/1/merge';
      refName = '1/merge';
      payload = { action: 'opened', number: 1, pull_request: { number: 1, title: facts.message.split('\n')[0] ?? '', head: { ref: branch, sha: facts.sha }, base: { ref: 'main', sha: facts.sha } }, repository, sender };
      break;
    case 'workflow_dispatch':
      payload = { ref, inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)])), repository, sender };
      break;
    case 'schedule':
      payload = { schedule: schedule ?? '', repository, sender };
      break;
    default:
      payload = { repository, sender };
  }
  return { repository: facts.repository, sha: facts.sha, ref, refName, runId, runNumber: 1, runAttempt: 1, actor: facts.actor, eventName: event, event: payload, serverUrl: 'https://github.com' };
}
