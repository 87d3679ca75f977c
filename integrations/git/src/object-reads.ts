import { SlipwayError, type CommitInfo } from '@slipway/core';
import type { ObjectReader } from './object-reader.js';

/**
 * The reads of a commit through a long-lived object reader (object-reader.ts): files, object ids, commit info, file
 * listings and the paths changed between two commits, parsed from git's objects without a process each.
 */

interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** A tree object: `<mode> SP <name> NUL <20-byte id>` per entry, in git's order. */
export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > content.length) throw new SlipwayError('SLW_SOURCE_FAILED', 'a tree object is malformed');
    entries.push({ mode: content.subarray(at, space).toString('latin1'), name: content.subarray(space + 1, nul).toString('utf8'), oid: content.subarray(nul + 1, nul + 21).toString('hex') });
    at = nul + 21;
  }
  return entries;
}

const isTree = (e: TreeEntry) => e.mode === '40000' || e.mode === '040000';

export function missingCommit(sha: string): SlipwayError {
  return new SlipwayError('SLW_SOURCE_FAILED', `commit ${sha} is not in the mirror`, { hint: 'Fetch the project first; the commit may also have been force-pushed away.' });
}

async function requireCommit(reader: ObjectReader, sha: string): Promise<void> {
  if (!(await reader.info(`${sha}^{commit}`))) throw missingCommit(sha);
}

/** True when the commit's objects are in the mirror. */
export async function hasCommitObject(reader: ObjectReader, sha: string): Promise<boolean> {
  return (await reader.info(`${sha}^{commit}`))?.type === 'commit';
}

/** The object id at a path ('' for the root tree), or undefined when the commit has no such path. */
export async function objectIdAt(reader: ObjectReader, sha: string, path: string): Promise<string | undefined> {
  const found = await reader.info(path ? `${sha}:${path}` : `${sha}^{tree}`);
  if (found) return found.oid;
  await requireCommit(reader, sha);
  return undefined;
}

/** A file's text, or undefined when the path does not exist or is not a file (a directory, a submodule). */
export async function readBlobAt(reader: ObjectReader, sha: string, path: string): Promise<string | undefined> {
  if (path === '') return undefined;
  const found = await reader.contents(`${sha}:${path}`);
  if (found) return found.type === 'blob' ? found.content.toString('utf8') : undefined;
  await requireCommit(reader, sha);
  return undefined;
}

/** Every file path under a directory of a commit ('' for all), as `git ls-tree -r --name-only` lists them. */
export async function listFilesAt(reader: ObjectReader, sha: string, dir: string): Promise<string[]> {
  const root = await reader.contents(dir ? `${sha}:${dir}` : `${sha}^{tree}`);
  if (!root) {
    await requireCommit(reader, sha);
    return [];
  }
  if (root.type !== 'tree') return [dir];
  const out: string[] = [];
  await walk(reader, root.content, dir, out);
  return out;
}

async function walk(reader: ObjectReader, tree: Buffer, prefix: string, out: string[]): Promise<void> {
  for (const e of parseTree(tree)) {
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    if (isTree(e)) await walk(reader, await treeContent(reader, e.oid), path, out);
    else out.push(path);
  }
}

async function treeContent(reader: ObjectReader, oid: string): Promise<Buffer> {
  const found = await reader.contents(oid);
  if (!found || found.type !== 'tree') throw new SlipwayError('SLW_SOURCE_FAILED', `tree ${oid} is missing from the mirror`);
  return found.content;
}

/** Paths that differ between two commits, as `git diff-tree -r --name-only --no-renames` lists them (byte order). */
export async function changedPaths(reader: ObjectReader, from: string, to: string): Promise<string[]> {
  const [a, b] = await Promise.all([reader.contents(`${from}^{tree}`), reader.contents(`${to}^{tree}`)]);
  if (!a) throw missingCommit(from);
  if (!b) throw missingCommit(to);
  const out: string[] = [];
  await diffTrees(reader, a.oid === b.oid ? null : a.content, a.oid === b.oid ? null : b.content, '', out);
  return out.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
}

async function diffTrees(reader: ObjectReader, a: Buffer | null, b: Buffer | null, prefix: string, out: string[]): Promise<void> {
  if (a === null && b === null) return;
  const left = new Map((a ? parseTree(a) : []).map((e) => [e.name, e]));
  const right = new Map((b ? parseTree(b) : []).map((e) => [e.name, e]));
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(name);
    const y = right.get(name);
    if (x && y && x.oid === y.oid && x.mode === y.mode) continue;
    const path = prefix ? `${prefix}/${name}` : name;
    const xTree = x !== undefined && isTree(x);
    const yTree = y !== undefined && isTree(y);
    if (xTree || yTree) {
      await diffTrees(reader, xTree ? await treeContent(reader, x.oid) : null, yTree ? await treeContent(reader, y.oid) : null, path, out);
    }
    // A file (or a submodule) on either side that is not the same file on the other.
    const xFile = x !== undefined && !xTree;
    const yFile = y !== undefined && !yTree;
    if (xFile || yFile) out.push(path);
  }
}

/** Author name, committer date (strict ISO 8601, in the committer's zone) and the raw message of a commit. */
export async function commitInfoOf(reader: ObjectReader, sha: string): Promise<CommitInfo> {
  const found = await reader.contents(`${sha}^{commit}`);
  if (!found) throw missingCommit(sha);
  const text = found.content.toString('utf8');
  const end = text.indexOf('\n\n');
  const headers = (end < 0 ? text : text.slice(0, end)).split('\n');
  const message = end < 0 ? '' : text.slice(end + 2);
  const field = (name: string) => headers.find((h) => h.startsWith(`${name} `))?.slice(name.length + 1) ?? '';
  const author = /^(.*?) <[^>]*> /.exec(field('author'))?.[1] ?? '';
  return { sha: found.oid, author, timestamp: isoDate(field('committer')), message: message.trimEnd() };
}

/** `Name <email> 1764161363 +0100` → `2025-11-26T13:49:23+01:00`, as git's %cI prints it. */
export function isoDate(ident: string): string {
  const m = / (\d+) ([+-])(\d\d)(\d\d)$/.exec(ident);
  if (!m) return '';
  const offsetMin = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
  const local = new Date((Number(m[1]) + offsetMin * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${m[2]}${m[3]}:${m[4]}`;
}
