import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A key under which two spellings of one repository are equal: no scheme, user, password or port; no `.git` or
 * trailing slash; host and path lower case for network URLs (GitHub, GitLab and Gitea look owner and repository up
 * case-insensitively). Local paths and file:// URLs become an absolute path, whose case is kept. Undefined when the
 * text is not a repository URL.
 */
export function repoKey(url: string): string | undefined {
  const text = url.trim();
  if (text === '') return undefined;
  if (text.startsWith('file://')) return localKey(fileURLToPath(text));
  if (isAbsolute(text)) return localKey(text);
  // scp-like ssh: git@github.com:owner/repo.git
  const scp = text.includes('://') ? null : /^(?:[^@/]+@)?([^:/]+):(.+)$/.exec(text);
  if (scp) return networkKey(scp[1]!, scp[2]!);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  if (!parsed.hostname) return undefined;
  return networkKey(parsed.hostname, decodeURIComponent(parsed.pathname));
}

/** The projects whose repository is one of `urls`. */
export function projectsForRepo<P extends { repoUrl: string }>(projects: P[], urls: string[]): P[] {
  const wanted = new Set(urls.map(repoKey).filter((k): k is string => k !== undefined));
  return projects.filter((p) => {
    const key = repoKey(p.repoUrl);
    return key !== undefined && wanted.has(key);
  });
}

function networkKey(host: string, path: string): string | undefined {
  const clean = trimRepoPath(path.replace(/^\/+/, ''));
  if (!clean) return undefined;
  return `${host.toLowerCase().replace(/^\[|\]$/g, '')}/${clean.toLowerCase()}`;
}

function localKey(path: string): string {
  return `file:${trimRepoPath(resolve(path)) || '/'}`;
}

function trimRepoPath(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}
