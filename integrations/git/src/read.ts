import { SlipwayError } from '@slipway/core';
import { CommandError, git } from './exec.js';
import { isQuietNo, sourceError } from './errors.js';

/** NUL-separated output (`-z`): paths are never quoted or escaped. */
const splitZ = (out: string): string[] => out.split('\0').filter((p) => p !== '');

/** True when the commit's objects are in the mirror. */
export async function hasCommit(gitDir: string, sha: string): Promise<boolean> {
  try {
    await git(['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { gitDir });
    return true;
  } catch (err) {
    if (isQuietNo(err)) return false;
    throw sourceError(err, `cannot look up ${sha}`);
  }
}

/** Every file path of a commit, or of one directory of it (`dir` normalized, '' for the root). */
export async function listTree(gitDir: string, sha: string, dir: string): Promise<string[]> {
  try {
    return splitZ(await git(['ls-tree', '-r', '-z', '--name-only', sha, ...(dir ? ['--', dir] : [])], { gitDir }));
  } catch (err) {
    throw sourceError(err, `cannot list ${dir || 'the files'} at ${sha}`);
  }
}

/** Paths that differ between two commits. Renames count as a deletion and an addition: both paths changed. */
export async function diffNames(gitDir: string, from: string, to: string): Promise<string[]> {
  try {
    return splitZ(await git(['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--no-commit-id', from, to], { gitDir }));
  } catch (err) {
    throw sourceError(err, `cannot diff ${from} and ${to}`);
  }
}

/**
 * The object id at a path (`path` normalized, '' for the root tree), or undefined when the commit has no such path.
 * A commit missing from the mirror is an error, not a missing path.
 */
export async function resolvePath(gitDir: string, sha: string, path: string): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '--verify', '--quiet', path ? `${sha}:${path}` : `${sha}^{tree}`], { gitDir })).trim();
  } catch (err) {
    if (!isQuietNo(err)) throw sourceError(err, `cannot resolve ${path} at ${sha}`);
  }
  if (!(await hasCommit(gitDir, sha))) throw missingCommit(sha);
  return undefined;
}

/**
 * A file's text at a commit, or undefined when the path does not exist or is not a file (a directory, a submodule).
 * The common case is one `git cat-file`; only a failure pays for a second look at why.
 */
export async function readBlob(gitDir: string, sha: string, path: string): Promise<string | undefined> {
  if (path === '') return undefined;
  try {
    return await git(['cat-file', 'blob', `${sha}:${path}`], { gitDir });
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    const type = await entryType(gitDir, sha, path);
    if (type === 'blob') throw sourceError(err, `cannot read ${path} at ${sha}`);
    return undefined;
  }
}

/** The type of the tree entry at a path (blob, tree, commit for a submodule), or undefined when there is none. */
async function entryType(gitDir: string, sha: string, path: string): Promise<string | undefined> {
  let out: string;
  try {
    out = await git(['ls-tree', '-z', sha, '--', path], { gitDir });
  } catch (err) {
    throw sourceError(err, `cannot read ${path} at ${sha}`);
  }
  // `<mode> SP <type> SP <oid> TAB <path>`; ls-tree matches whole path components, so the entry is ours.
  const entry = splitZ(out).find((e) => e.slice(e.indexOf('\t') + 1) === path);
  return entry?.split(' ')[1];
}

function missingCommit(sha: string): SlipwayError {
  return new SlipwayError('SLW_SOURCE_FAILED', `commit ${sha} is not in the mirror`, { hint: 'Fetch the project first; the commit may also have been force-pushed away.' });
}

/** The best common ancestor of two commits, or null when the histories are unrelated. */
export async function mergeBaseOf(gitDir: string, a: string, b: string): Promise<string | null> {
  try {
    return (await git(['merge-base', a, b], { gitDir })).trim() || null;
  } catch (err) {
    // Exit status 1 with no output: no common ancestor.
    if (err instanceof CommandError && err.exitCode === 1 && err.stderr === '') return null;
    throw sourceError(err, `cannot find the merge base of ${a.slice(0, 7)} and ${b.slice(0, 7)}`);
  }
}
