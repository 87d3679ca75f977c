import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectReader, type ObjectReader } from './object-reader.js';
import { changedPaths, commitInfoOf, hasCommitObject, listFilesAt, objectIdAt, readBlobAt } from './object-reads.js';

/** The reads through one `git cat-file --batch-command` answer what the git commands they replace print. */
describe('object reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-object-reads-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Bot', GIT_COMMITTER_EMAIL: 'bot@example.com' };
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' }).replace(/\n$/, '');
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  const commit = (message: string, date: string, gitlink?: string) => {
    git('add', '-A');
    // After `add -A`, which would drop a gitlink with no directory behind it.
    if (gitlink) git('update-index', '--add', '--cacheinfo', `160000,${gitlink},vendor/lib`);
    execFileSync('git', ['-C', dir, 'commit', '-q', '--allow-empty', '-m', message], { env: { ...env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } });
    return git('rev-parse', 'HEAD');
  };
  const shas: string[] = [];
  let reader: ObjectReader;

  beforeAll(() => {
    git('init', '-q', '-b', 'main');
    write({ 'a.txt': 'a', 'a/b.txt': 'b', 'a/c/d.txt': 'd', 'a-b/e.txt': 'e', 'z.sh': 'echo', 'é.txt': 'accent' });
    shas.push(commit('first', '2026-01-02T03:04:05+05:30'));
    write({ 'a/c/d.txt': 'd2', 'new/deep/f.txt': 'f' });
    rmSync(join(dir, 'a-b'), { recursive: true });
    chmodSync(join(dir, 'z.sh'), 0o755);
    symlinkSync('a.txt', join(dir, 'link'));
    git('mv', 'a/b.txt', 'a/moved.txt');
    shas.push(commit('second\n\nwith a body\n', '2026-06-30T23:59:59-08:00'));
    // A file becomes a directory and a directory a file; a submodule appears as a gitlink.
    rmSync(join(dir, 'a.txt'));
    rmSync(join(dir, 'new'), { recursive: true });
    write({ 'a.txt/inner.txt': 'now a dir', new: 'now a file' });
    shas.push(commit('third', '2026-11-26 12:00:00 +0000', shas[0]));
    reader = createObjectReader(join(dir, '.git'));
  });

  afterAll(() => {
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists changed paths as git diff-tree -r --name-only --no-renames does', async () => {
    const pairs: [string, string][] = [[shas[0]!, shas[1]!], [shas[1]!, shas[2]!], [shas[0]!, shas[2]!], [shas[2]!, shas[0]!], [shas[1]!, shas[1]!]];
    for (const [from, to] of pairs) {
      const expected = git('-c', 'core.quotePath=false', 'diff-tree', '-r', '--name-only', '--no-renames', '--no-commit-id', from, to).split('\n').filter(Boolean);
      expect(await changedPaths(reader, from, to)).toEqual(expected);
      if (from === shas[0] && to === shas[2]) expect(expected).toEqual(expect.arrayContaining(['a.txt', 'a.txt/inner.txt', 'new', 'vendor/lib', 'z.sh', 'link', 'a-b/e.txt']));
    }
  });

  it('lists files as git ls-tree -r --name-only does, for the root and a directory', async () => {
    for (const sha of shas) {
      for (const d of ['', 'a', 'a/c']) {
        const expected = git('-c', 'core.quotePath=false', 'ls-tree', '-r', '--name-only', sha, ...(d ? ['--', d] : [])).split('\n').filter(Boolean);
        expect(await listFilesAt(reader, sha, d)).toEqual(expected);
      }
    }
    expect(await listFilesAt(reader, shas[0]!, 'nowhere')).toEqual([]);
  });

  it('reads commit info as git show --format=%H %an %cI %B does', async () => {
    for (const sha of shas) {
      const [id, author, date, ...body] = git('show', '-s', '--format=%H%x00%an%x00%cI%x00%B', sha).split('\0');
      expect(await commitInfoOf(reader, sha)).toEqual({ sha: id, author, timestamp: date, message: body.join('\0').trimEnd() });
    }
  });

  it('reads blobs and object ids; a directory, a submodule or a missing path is undefined; an unknown commit an error', async () => {
    expect(await readBlobAt(reader, shas[1]!, 'a/moved.txt')).toBe('b');
    expect(await readBlobAt(reader, shas[1]!, 'a')).toBeUndefined();
    expect(await readBlobAt(reader, shas[2]!, 'vendor/lib')).toBeUndefined();
    expect(await readBlobAt(reader, shas[1]!, 'nope')).toBeUndefined();
    expect(await objectIdAt(reader, shas[1]!, 'a')).toBe(git('rev-parse', `${shas[1]}:a`));
    expect(await objectIdAt(reader, shas[1]!, '')).toBe(git('rev-parse', `${shas[1]}^{tree}`));
    const unknown = 'f'.repeat(40);
    expect(await hasCommitObject(reader, unknown)).toBe(false);
    expect(await hasCommitObject(reader, shas[0]!)).toBe(true);
    await expect(readBlobAt(reader, unknown, 'a.txt')).rejects.toThrow(/not in the mirror/);
    await expect(objectIdAt(reader, unknown, 'a.txt')).rejects.toThrow(/not in the mirror/);
  });

  it('answers many requests in flight in order, and finds commits made after it started', async () => {
    const reads = await Promise.all(Array.from({ length: 200 }, (_, i) => readBlobAt(reader, shas[i % 3]!, i % 3 === 2 ? 'new' : 'z.sh')));
    expect(reads.filter((r) => r === 'echo')).toHaveLength(134);
    write({ 'later.txt': 'later' });
    const later = commit('later', '2026-11-26 13:00:00 +0000');
    execFileSync('git', ['-C', dir, 'gc', '-q']);
    expect(await readBlobAt(reader, later, 'later.txt')).toBe('later');
  });
});
