import type { GitHostKind } from '../model/git-host.js';

/** Which repository on which host, and the credentials to write to it. */
export interface GitHostTarget {
  /** Base URL of the host API, without a trailing slash or with one. */
  apiUrl: string;
  /** owner/repo, or for GitLab the project path (group/sub/project) or numeric id. */
  repository: string;
  token: string;
}

/** Slipway's commit states; each adapter maps them onto the host's own vocabulary. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  sha: string;
  state: CommitState;
  /** Tells this status apart from others on the commit, e.g. `slipway/ci`. */
  context: string;
  description: string;
  targetUrl: string;
}

export interface PullRequestComment {
  /** The pull request number (GitLab: the merge request iid). */
  pullRequest: number;
  /** Markdown. */
  body: string;
  /** A stable id, e.g. `slipway-plan`. It is kept in the body as a hidden HTML comment, so that the next post updates this comment. */
  marker: string;
}

/**
 * The GitHost port: write access to a git host's API for feedback. Every adapter passes `runGitHostConformance`.
 * Failures throw SlipwayError SLW_GIT_HOST_FAILED (with `status`, the host's HTTP status, when there was an answer);
 * no error message contains the token.
 */
export interface GitHost {
  readonly kind: GitHostKind;
  /** Sets the status of one context on one commit; a later post of the same context replaces it on the host. */
  postStatus(target: GitHostTarget, status: CommitStatus, signal?: AbortSignal): Promise<void>;
  /** Creates the comment, or updates the earlier comment that carries the same marker. */
  postComment(target: GitHostTarget, comment: PullRequestComment, signal?: AbortSignal): Promise<{ id: string; created: boolean }>;
}
