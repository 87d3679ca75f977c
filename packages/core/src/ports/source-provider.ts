/** What a SourceProvider needs to know about a project. */
export interface SourceRef {
  projectId: string;
  repoUrl: string;
  branch: string;
}

export interface CommitInfo {
  sha: string;
  message: string;
  author: string;
  timestamp: string;
}

/**
 * The SourceProvider port: read access to a project's git repository through one bare mirror per project.
 * Every method is safe to call concurrently for the same project.
 */
export interface SourceProvider {
  /** The current head of the branch on the remote, cheaply (ls-remote). */
  remoteHead(ref: SourceRef, signal?: AbortSignal): Promise<string>;
  /** Every branch of the remote and its head, in one cheap call (ls-remote --heads): for following several branches. */
  remoteHeads(ref: SourceRef, signal?: AbortSignal): Promise<Record<string, string>>;
  /** Fetches the branch into the mirror (creating it on first use) and returns its head. */
  fetch(ref: SourceRef, signal?: AbortSignal): Promise<string>;
  /**
   * Fetches one ref of the remote (or of `fromUrl`, a fork) into the mirror as `localRef`, and returns the commit it
   * names: `refs/heads/feature`, or a pull request's `refs/pull/12/head` (GitHub, Gitea) or `refs/merge-requests/12/head`
   * (GitLab). SLW_NOT_FOUND when the remote has no such ref.
   */
  fetchRef(ref: SourceRef, remoteRef: string, localRef: string, fromUrl?: string, signal?: AbortSignal): Promise<string>;
  /** True when the commit is in the mirror (a webhook may name a commit before it is fetched). */
  hasCommit(ref: SourceRef, sha: string): Promise<boolean>;
  /** The best common ancestor of two commits in the mirror, or null when they share none. */
  mergeBase(ref: SourceRef, a: string, b: string): Promise<string | null>;
  /** Paths changed between two commits; every file of `to` when `from` is null or unknown. */
  changedFiles(ref: SourceRef, from: string | null, to: string): Promise<string[]>;
  /** A file's text at a commit, or undefined when it does not exist. */
  readFile(ref: SourceRef, sha: string, path: string): Promise<string | undefined>;
  /** Files under a directory at a commit (recursive, relative to the repository root). */
  listFiles(ref: SourceRef, sha: string, dir: string): Promise<string[]>;
  /** The git object id of a path at a commit (a tree hash for a directory), or undefined when it does not exist. */
  objectId(ref: SourceRef, sha: string, path: string): Promise<string | undefined>;
  /** Writes the tree of a commit (or only the given paths) into `dest`, which must not exist yet. No .git directory is created. */
  checkout(ref: SourceRef, sha: string, dest: string, paths?: string[]): Promise<void>;
  commitInfo(ref: SourceRef, sha: string): Promise<CommitInfo>;
}
