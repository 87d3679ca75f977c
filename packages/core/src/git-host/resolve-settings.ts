import { SlipwayError } from '../errors/slipway-error.js';
import type { GitHostInput, GitHostKind, GitHostSettings } from '../model/git-host.js';

/** API base URLs of the public hosts; any other host (GitHub Enterprise, self-managed GitLab, Gitea, Forgejo) needs its URL given. */
const publicApis: Record<string, { kind: GitHostKind; apiUrl: string }> = {
  'github.com': { kind: 'github', apiUrl: 'https://api.github.com' },
  'gitlab.com': { kind: 'gitlab', apiUrl: 'https://gitlab.com/api/v4' },
};

/** Host and path of a git remote: https://host/owner/repo.git, ssh://git@host/owner/repo, git@host:owner/repo.git. Undefined for a local path. */
export function parseRemote(repoUrl: string): { host: string; path: string } | undefined {
  const scp = /^[^/@\s]+@([^:/\s]+):(.+)$/.exec(repoUrl);
  let host: string;
  let path: string;
  if (scp) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    let url: URL;
    try {
      url = new URL(repoUrl);
    } catch {
      return undefined;
    }
    if (url.protocol === 'file:' || !url.hostname) return undefined;
    host = url.hostname;
    path = decodeURIComponent(url.pathname);
  }
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return path ? { host: host.toLowerCase(), path } : undefined;
}

function repositoryProblem(kind: GitHostKind, repository: string): string | undefined {
  if (kind === 'gitlab') return /^\d+$/.test(repository) || /^[^/\s]+(\/[^/\s]+)+$/.test(repository) ? undefined : 'a GitLab project path (group/project) or numeric id';
  return /^[^/\s]+\/[^/\s]+$/.test(repository) ? undefined : 'owner/repo';
}

/**
 * Completes what a user gave from the project's repository URL: github.com and gitlab.com imply their API URL, and a
 * remote URL implies the repository path. Throws SLW_GIT_HOST_INVALID when something is still missing or malformed.
 */
export function resolveGitHostSettings(input: GitHostInput, repoUrl: string): GitHostSettings {
  const remote = parseRemote(repoUrl);
  const known = remote ? publicApis[remote.host] : undefined;
  const apiUrl = input.apiUrl ?? (known?.kind === input.kind ? known.apiUrl : undefined);
  if (!apiUrl) {
    throw new SlipwayError('SLW_GIT_HOST_INVALID', `the ${input.kind} API URL cannot be derived from ${repoUrl}`, {
      hint: `Pass it with --host-api (for example ${input.kind === 'github' ? 'https://github.example.com/api/v3' : input.kind === 'gitlab' ? 'https://gitlab.example.com/api/v4' : 'https://gitea.example.com/api/v1'}).`,
    });
  }
  if (!/^https?:\/\//.test(apiUrl)) throw new SlipwayError('SLW_GIT_HOST_INVALID', `the API URL ${apiUrl} is not an http(s) URL`);
  // The token goes in a header; a URL with credentials would put a second secret in the settings, which are not secret.
  if (/^https?:\/\/[^/]*@/.test(apiUrl)) throw new SlipwayError('SLW_GIT_HOST_INVALID', 'the API URL must not contain credentials', { hint: 'Store the token with `slipway secrets set GIT_HOST_TOKEN --project <project>`.' });
  const repository = (input.repository ?? remote?.path)?.replace(/^\/+|\/+$/g, '');
  if (!repository) throw new SlipwayError('SLW_GIT_HOST_INVALID', `the repository on ${input.kind} cannot be derived from ${repoUrl}`, { hint: 'Pass it with --host-repo owner/repo (GitLab: the project path or id).' });
  const problem = repositoryProblem(input.kind, repository);
  if (problem) throw new SlipwayError('SLW_GIT_HOST_INVALID', `the repository "${repository}" is not ${problem}`, { hint: 'Pass it with --host-repo.' });
  return { kind: input.kind, apiUrl: apiUrl.replace(/\/+$/, ''), repository };
}
