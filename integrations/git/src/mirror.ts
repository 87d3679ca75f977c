import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError, type SourceRef } from '@slipway/core';
import { git } from './exec.js';
import { isRemoteFailure, sourceError } from './errors.js';
import { httpBranchHead } from './http-refs.js';
import { readLocalBranch } from './local-ref.js';
import { redactUrl } from './redact.js';

/** A poll must not hang on a silent host; a first fetch of a large repository may take minutes. */
const lsRemoteTimeoutMs = 60_000;
const fetchTimeoutMs = 15 * 60_000;

/** The head of the branch on the remote, from `git ls-remote`. Any failure means the remote cannot be read. */
export async function lsRemoteHead(ref: SourceRef, signal?: AbortSignal, env?: Record<string, string>): Promise<string> {
  const branchRef = `refs/heads/${ref.branch}`;
  const where = `${redactUrl(ref.repoUrl)} (${ref.branch})`;
  const known = (await readLocalBranch(ref.repoUrl, ref.branch)) ?? (await httpBranchHead(ref.repoUrl, ref.branch, env?.SLIPWAY_GIT_PASSWORD !== undefined ? { username: env.SLIPWAY_GIT_USERNAME ?? '', password: env.SLIPWAY_GIT_PASSWORD } : undefined));
  if (known) return known;
  let out: string;
  try {
    out = await git(['ls-remote', '--', ref.repoUrl, branchRef], { signal, timeoutMs: lsRemoteTimeoutMs, ...(env ? { env } : {}) });
  } catch (err) {
    throw sourceError(err, `cannot read ${where}`, () => true);
  }
  // ls-remote matches patterns by suffix: refs/heads/x/refs/heads/main would match refs/heads/main too.
  const line = out.split('\n').find((l) => l.split('\t')[1] === branchRef);
  const sha = line?.split('\t')[0];
  if (!sha) throw new SlipwayError('SLW_SOURCE_UNREACHABLE', `branch ${ref.branch} does not exist in ${redactUrl(ref.repoUrl)}`, { hint: 'Push the branch, or set the project to an existing branch.' });
  return sha;
}

/** Every branch of the remote with its head (`git ls-remote --heads`). */
export async function lsRemoteHeads(ref: SourceRef, signal?: AbortSignal, env?: Record<string, string>): Promise<Record<string, string>> {
  let out: string;
  try {
    out = await git(['ls-remote', '--heads', '--', ref.repoUrl], { signal, timeoutMs: lsRemoteTimeoutMs, ...(env ? { env } : {}) });
  } catch (err) {
    throw sourceError(err, `cannot read the branches of ${redactUrl(ref.repoUrl)}`, () => true);
  }
  const heads: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [sha, name] = line.split('\t');
    if (sha && name?.startsWith('refs/heads/')) heads[name.slice('refs/heads/'.length)] = sha;
  }
  return heads;
}

/**
 * Fetches the branch into the bare mirror, creating the mirror first, and returns the branch head in the mirror.
 * The caller serializes calls per mirror. The URL is passed on the command line and never stored in the mirror's
 * config, so credentials in it are not written to disk.
 */
export async function fetchIntoMirror(gitDir: string, ref: SourceRef, signal?: AbortSignal, env?: Record<string, string>): Promise<string> {
  const branchRef = `refs/heads/${ref.branch}`;
  await ensureMirror(gitDir);
  try {
    await git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-maintenance', '--', ref.repoUrl, `+${branchRef}:${branchRef}`], { gitDir, signal, timeoutMs: fetchTimeoutMs, ...(env ? { env } : {}) });
  } catch (err) {
    throw sourceError(err, `cannot fetch ${ref.branch} from ${redactUrl(ref.repoUrl)}`, isRemoteFailure);
  }
  try {
    return (await git(['rev-parse', '--verify', `${branchRef}^{commit}`], { gitDir, signal })).trim();
  } catch (err) {
    throw sourceError(err, `cannot resolve ${ref.branch} in the mirror of ${ref.projectId}`);
  }
}

/** Refs a fetch may write: Slipway's own namespace and branches, never tags or remote-tracking refs of a user. */
const localRefPattern = /^refs\/(slipway|heads)\/[A-Za-z0-9._/-]+$/;
const remoteRefPattern = /^refs\/(heads|pull|merge-requests)\/[A-Za-z0-9._/-]+$/;

/** Fetches one ref of `url` into the mirror as `localRef` and returns its commit; SLW_NOT_FOUND when the remote lacks it. */
export async function fetchRefIntoMirror(gitDir: string, url: string, remoteRef: string, localRef: string, signal?: AbortSignal, env?: Record<string, string>): Promise<string> {
  if (!remoteRefPattern.test(remoteRef) || remoteRef.includes('..')) throw new SlipwayError('SLW_USAGE', `"${remoteRef}" is not a branch or pull request ref`);
  if (!localRefPattern.test(localRef) || localRef.includes('..')) throw new SlipwayError('SLW_INTERNAL', `refusing to write the ref "${localRef}"`);
  await ensureMirror(gitDir);
  try {
    await git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-maintenance', '--', url, `+${remoteRef}:${localRef}`], { gitDir, signal, timeoutMs: fetchTimeoutMs, ...(env ? { env } : {}) });
  } catch (err) {
    if (/couldn't find remote ref|could not find remote ref/i.test(String((err as Error).message))) {
      throw new SlipwayError('SLW_NOT_FOUND', `${redactUrl(url)} has no ${remoteRef}`, { hint: 'Check the branch or pull request number.' });
    }
    throw sourceError(err, `cannot fetch ${remoteRef} from ${redactUrl(url)}`, isRemoteFailure);
  }
  return (await git(['rev-parse', '--verify', `${localRef}^{commit}`], { gitDir, signal })).trim();
}

async function ensureMirror(gitDir: string): Promise<void> {
  // The attributes file is written last: while it is missing, the mirror is (re)initialized, which `git init` allows.
  const attributes = join(gitDir, 'info', 'attributes');
  if (await exists(attributes)) return;
  await mkdir(join(gitDir, 'info'), { recursive: true });
  try {
    await git(['init', '--quiet', '--bare', gitDir]);
  } catch (err) {
    throw sourceError(err, `cannot create the mirror ${gitDir}`);
  }
  // export-ignore and export-subst in a project's .gitattributes would make `git archive` differ from a checkout.
  await writeFile(attributes, '* -export-ignore -export-subst\n');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
