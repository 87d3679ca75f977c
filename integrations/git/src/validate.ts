import { isAbsolute } from 'node:path';
import { SlipwayError } from '@slipway/core';
import { redactUrl } from './redact.js';

/** https, http, ssh, git and file URLs (with `+`-schemes like git+ssh), scp-like `user@host:path`, and absolute local paths. */
const urlForms = [/^(?:https?|ssh|git|git\+ssh|ssh\+git|file):\/\/./i, /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/]/];

/**
 * Refuses repository URLs that git would read as an option or as a command to run (`ext::`, `fd::`),
 * and relative paths, which would depend on the server's working directory.
 */
export function assertRepoUrl(url: string): void {
  if (isAbsolute(url) || urlForms.some((form) => form.test(url))) return;
  throw new SlipwayError('SLW_SOURCE_FAILED', `unsupported repository URL "${redactUrl(url)}"`, {
    hint: 'Use an https://, ssh://, git:// or file:// URL, user@host:path, or an absolute path to a local repository.',
  });
}

/** The rules of git check-ref-format for a branch name, minus the rare ones git enforces itself. */
const badBranch = /(^[-/.])|([/.]$)|(\.\.)|(\/\/)|(\/\.)|(@\{)|(\.lock(\/|$))|[\s~^:?*[\\]/;

export function assertBranch(branch: string): void {
  // Control characters are checked by code point: a regex for them trips no-control-regex.
  if (branch === '' || branch === '@' || badBranch.test(branch) || [...branch].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new SlipwayError('SLW_SOURCE_FAILED', `invalid branch name "${branch}"`, { hint: 'Name an existing branch, for example main.' });
  }
}

/** Commits are named by (possibly abbreviated) object ids only: a ref name could start with `-` or move under our feet. */
export function assertSha(sha: string): void {
  if (!/^[0-9a-f]{4,64}$/i.test(sha)) throw new SlipwayError('SLW_SOURCE_FAILED', `"${sha}" is not a commit id`);
}

/** The mirror directory's name is the project id: it must not escape mirrorsDir. */
export function assertProjectId(projectId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(projectId) || projectId.includes('..')) {
    throw new SlipwayError('SLW_SOURCE_FAILED', `project id "${projectId}" cannot name a mirror directory`);
  }
}

/**
 * A repository-relative path as git wants it: no `./` prefix, no trailing or doubled slashes; '' is the root.
 * Absolute paths and `..` segments are refused because a tree has no such entries.
 */
export function normalizePath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.includes('..')) throw new SlipwayError('SLW_SOURCE_FAILED', `"${path}" is not a path inside the repository`);
  return parts.join('/');
}
