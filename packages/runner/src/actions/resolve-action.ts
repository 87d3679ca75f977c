import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipwayError } from '@slipway/core';

export type ResolvedAction =
  | { kind: 'builtin'; name: 'checkout' | 'upload-artifact' | 'download-artifact' | 'cache'; ref: string }
  | { kind: 'directory'; dir: string; display: string };

const builtins = new Set(['checkout', 'upload-artifact', 'download-artifact', 'cache']);

/**
 * Finds the code of a `uses:` reference. Local actions (`./path`) come from the workspace (or the run's source tree
 * before a checkout); actions/checkout, upload-artifact, download-artifact and cache are built in; any other remote
 * action must be in the local action cache, because this host cannot download it.
 */
export function resolveAction(uses: string, dirs: { workspace: string; repoDir: string; actionCacheDir?: string }): ResolvedAction {
  if (uses.startsWith('./') || uses === '.') {
    for (const root of [dirs.workspace, dirs.repoDir]) {
      const dir = resolve(root, uses);
      if (hasManifest(dir)) return { kind: 'directory', dir, display: uses };
    }
    throw new SlipwayError('SLW_ACTION_NOT_FOUND', `local action ${uses} has no action.yml in the workspace`, { hint: 'Check the path, and check out the repository (actions/checkout) before using a local action.' });
  }
  if (uses.startsWith('docker://')) {
    throw new SlipwayError('SLW_ACTION_NOT_FOUND', `${uses}: docker:// actions are not supported yet`, { hint: 'Use a run step with `docker run`, or a job container.' });
  }
  const match = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]+)?)@(\S+)$/.exec(uses);
  if (!match) throw new SlipwayError('SLW_ACTION_NOT_FOUND', `"${uses}" is not an action reference`, { hint: 'Use ./path/to/action or owner/repo@ref.' });
  const [, owner, repo, sub, ref] = match as unknown as [string, string, string, string, string];
  if (owner === 'actions' && !sub && builtins.has(repo)) return { kind: 'builtin', name: repo as 'checkout', ref };
  const cacheRoot = dirs.actionCacheDir;
  const dir = cacheRoot ? join(cacheRoot, owner, repo, ref, sub ?? '') : undefined;
  if (dir && hasManifest(dir)) return { kind: 'directory', dir, display: uses };
  throw new SlipwayError('SLW_ACTION_NOT_FOUND', `action ${uses} is not available offline: looked for ${dir ? `${dir}/action.yml` : 'an action cache (none configured)'}`, {
    hint: `Put the action's files at <action cache>/${owner}/${repo}/${ref}${sub ?? ''}/ (action.yml and its code); the cache is --action-cache or <data dir>/actions.`,
  });
}

export function manifestPath(dir: string): string | undefined {
  for (const name of ['action.yml', 'action.yaml']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

const hasManifest = (dir: string) => manifestPath(dir) !== undefined;
