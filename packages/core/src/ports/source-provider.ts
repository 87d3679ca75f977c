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
  /** Fetches the branch into the mirror (creating it on first use) and returns its head. */
  fetch(ref: SourceRef, signal?: AbortSignal): Promise<string>;
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
