import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { repositoryFromRemote, zeroSha, type RepoFacts } from './github-context.js';

/** Runs git in `cwd`; undefined when git is missing or fails (not a repository, no commit yet). */
function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The top of the git work tree that holds `cwd`, or `cwd` itself outside git. */
export function findRepoRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel'])?.trim() || cwd;
}

export function readRepoFacts(root: string): RepoFacts {
  const sha = git(root, ['rev-parse', '--verify', '-q', 'HEAD'])?.trim() || zeroSha;
  const branch = git(root, ['symbolic-ref', '-q', '--short', 'HEAD'])?.trim() || null;
  const remote = git(root, ['remote', 'get-url', 'origin'])?.trim();
  const actor = git(root, ['config', 'user.name'])?.trim() || safeUser();
  const message = sha === zeroSha ? '' : (git(root, ['log', '-1', '--format=%B'])?.trim() ?? '');
  return { sha, branch, repository: (remote && repositoryFromRemote(remote)) || basename(root), actor, message };
}

/** The files a checkout of the working tree holds: tracked and untracked, not ignored (null outside git). */
export function workingTreeFiles(root: string): string[] | null {
  const out = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (out === undefined) return null;
  return [...new Set(out.split('\0').filter((f) => f !== ''))];
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}
