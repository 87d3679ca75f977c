import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError, type SourceRef } from '@slipway/core';
import { createGitSource } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'slipway-git-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A working repository on branch main; `commit` writes (or with null deletes) files and returns the new head. */
function createRepo(name: string) {
  const dir = join(root, name);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  git('init', '--quiet', '--initial-branch=main');
  return {
    dir,
    git,
    commit(files: Record<string, string | null>, message = 'change'): string {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) rmSync(join(dir, path));
        else {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
      }
      git('add', '-A');
      git('commit', '--quiet', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}

const expectCode = async (promise: Promise<unknown>, code: string) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SlipwayError);
  expect((err as SlipwayError).code).toBe(code);
  return err as SlipwayError;
};

describe('createGitSource', () => {
  const repo = createRepo('app');
  const source = createGitSource({ mirrorsDir: join(root, 'mirrors') });
  const ref: SourceRef = { projectId: 'p1', repoUrl: repo.dir, branch: 'main' };
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = repo.commit({ 'slipway.yaml': 'project: app\n', 'services/api/src/index.js': 'v1', 'services/api-v2/x.js': 'x', 'services/web/index.js': 'w', 'README.md': '# app' }, 'first\n\nwith a body');
    second = repo.commit({ 'services/web/index.js': 'w2', 'README.md': null, 'lib/util.js': 'u' }, 'second');
    // The first fetch sees only the first commit; the second commit is fetched later, incrementally.
    repo.git('branch', 'old', first);
    expect(await source.fetch({ ...ref, branch: 'old' })).toBe(first);
  });

  it('reads the remote head without a mirror', async () => {
    expect(await source.remoteHead(ref)).toBe(second);
    expect(await source.remoteHead({ ...ref, projectId: 'never-fetched', repoUrl: `file://${repo.dir}` })).toBe(second);
  });

  it('fetches into a bare mirror per project, incrementally', async () => {
    expect(await source.hasCommit(ref, second)).toBe(false);
    expect(await source.fetch(ref)).toBe(second);
    expect(await source.hasCommit(ref, second)).toBe(true);
    const mirror = join(root, 'mirrors', 'p1.git');
    expect(existsSync(join(mirror, 'HEAD'))).toBe(true);
    expect(existsSync(join(mirror, 'index'))).toBe(false);
    const third = repo.commit({ 'services/api/src/index.js': 'v3' }, 'third');
    expect(await source.hasCommit(ref, third)).toBe(false);
    expect(await source.fetch(ref)).toBe(third);
    expect(await source.readFile(ref, third, 'services/api/src/index.js')).toBe('v3');
  });

  it('lists changed paths, or every path when the base is null or unknown', async () => {
    expect((await source.changedFiles(ref, first, second)).sort()).toEqual(['README.md', 'lib/util.js', 'services/web/index.js']);
    const all = ['lib/util.js', 'services/api-v2/x.js', 'services/api/src/index.js', 'services/web/index.js', 'slipway.yaml'];
    expect((await source.changedFiles(ref, null, second)).sort()).toEqual(all);
    expect((await source.changedFiles(ref, 'ffffffffffffffffffffffffffffffffffffffff', second)).sort()).toEqual(all);
    expect(await source.changedFiles(ref, second, second)).toEqual([]);
  });

  it('reads files; a missing path or a directory is undefined, an unknown commit an error', async () => {
    expect(await source.readFile(ref, first, 'slipway.yaml')).toBe('project: app\n');
    expect(await source.readFile(ref, first, './README.md')).toBe('# app');
    expect(await source.readFile(ref, second, 'README.md')).toBeUndefined();
    expect(await source.readFile(ref, second, 'nope/missing.txt')).toBeUndefined();
    expect(await source.readFile(ref, second, 'services/api')).toBeUndefined();
    await expectCode(source.readFile(ref, 'ffffffffffffffffffffffffffffffffffffffff', 'slipway.yaml'), 'SLW_SOURCE_FAILED');
    await expectCode(source.readFile(ref, '--output=x', 'slipway.yaml'), 'SLW_SOURCE_FAILED');
  });

  it('lists the files under a directory, matching whole path components', async () => {
    expect(await source.listFiles(ref, second, 'services/api')).toEqual(['services/api/src/index.js']);
    expect(await source.listFiles(ref, second, 'services/api/')).toEqual(['services/api/src/index.js']);
    expect(await source.listFiles(ref, second, '.slipway/workflows')).toEqual([]);
    expect(await source.listFiles(ref, second, '.')).toHaveLength(5);
  });

  it('gives a tree id that changes only when something under the directory changes', async () => {
    const api1 = await source.objectId(ref, first, 'services/api');
    const web1 = await source.objectId(ref, first, 'services/web');
    expect(api1).toMatch(/^[0-9a-f]{40}$/);
    expect(await source.objectId(ref, second, 'services/api')).toBe(api1);
    expect(await source.objectId(ref, second, 'services/web')).not.toBe(web1);
    expect(await source.objectId(ref, first, 'lib')).toBeUndefined();
    expect(await source.objectId(ref, first, '')).toMatch(/^[0-9a-f]{40}$/);
    await expectCode(source.objectId(ref, 'ffffffffffffffffffffffffffffffffffffffff', 'lib'), 'SLW_SOURCE_FAILED');
  });

  it('checks out a commit or some of its paths into a new directory, without .git', async () => {
    const all = join(root, 'out', 'all');
    await source.checkout(ref, second, all);
    expect(readdirSync(all).sort()).toEqual(['lib', 'services', 'slipway.yaml']);
    const some = join(root, 'out', 'some');
    await source.checkout(ref, second, some, ['services/api', 'lib/', 'shared-that-does-not-exist']);
    expect(readdirSync(join(some, 'services'))).toEqual(['api']);
    expect(readFileSync(join(some, 'lib', 'util.js'), 'utf8')).toBe('u');
    const err = await expectCode(source.checkout(ref, second, some), 'SLW_SOURCE_FAILED');
    expect(err.message).toContain('exists already');
  });

  it('checks out what a clone would have, whatever export-ignore and export-subst say', async () => {
    const other = createRepo('attributes');
    const sha = other.commit({ '.gitattributes': 'test export-ignore\nversion.txt export-subst\n', 'test/a.test.js': 't', 'version.txt': '$Format:%H$' });
    const attrs = { ...ref, projectId: 'p-attributes', repoUrl: other.dir };
    await source.fetch(attrs);
    const dest = join(root, 'out', 'attributes');
    await source.checkout(attrs, sha, dest);
    expect(readFileSync(join(dest, 'test', 'a.test.js'), 'utf8')).toBe('t');
    expect(readFileSync(join(dest, 'version.txt'), 'utf8')).toBe('$Format:%H$');
  });

  it('fetches a branch or a pull request ref, also from a fork, and finds merge bases', async () => {
    await source.fetch(ref);
    repo.git('checkout', '--quiet', '-b', 'feature', first);
    const feature = repo.commit({ 'services/api/src/index.js': 'v2' }, 'feature');
    repo.git('update-ref', 'refs/pull/7/head', feature);
    repo.git('checkout', '--quiet', 'main');
    expect(await source.fetchRef(ref, 'refs/heads/feature', 'refs/slipway/branches/feature')).toBe(feature);
    expect(await source.fetchRef(ref, 'refs/pull/7/head', 'refs/slipway/pr/7')).toBe(feature);
    expect(await source.mergeBase(ref, second, feature)).toBe(first);
    expect(await source.remoteHeads(ref)).toMatchObject({ main: repo.git('rev-parse', 'main'), feature, old: first });
    expect(await source.changedFiles(ref, first, feature)).toEqual(['services/api/src/index.js']);
    await expectCode(source.fetchRef(ref, 'refs/pull/8/head', 'refs/slipway/pr/8'), 'SLW_NOT_FOUND');
    await expectCode(source.fetchRef(ref, 'refs/tags/../../x', 'refs/slipway/pr/9'), 'SLW_USAGE');
    const fork = createRepo('fork');
    fork.git('pull', '--quiet', repo.dir, 'main');
    const forked = fork.commit({ 'lib/util.js': 'from a fork' }, 'fork change');
    expect(await source.fetchRef(ref, 'refs/heads/main', 'refs/slipway/pr/10', fork.dir)).toBe(forked);
    expect(await source.readFile(ref, forked, 'lib/util.js')).toBe('from a fork');
    const unrelated = createRepo('unrelated');
    const lone = unrelated.commit({ 'x': '1' }, 'lone');
    await source.fetchRef(ref, 'refs/heads/main', 'refs/slipway/pr/11', unrelated.dir);
    expect(await source.mergeBase(ref, second, lone)).toBeNull();
  });

  it('reads commit info', async () => {
    const info = await source.commitInfo(ref, first);
    expect(info).toMatchObject({ sha: first, author: 't', message: 'first\n\nwith a body' });
    expect(Date.parse(info.timestamp)).not.toBeNaN();
  });

  it('serializes concurrent fetches of one project', async () => {
    const head = repo.commit({ 'services/web/index.js': 'w4' }, 'fourth');
    const fresh = { ...ref, projectId: 'p-concurrent' };
    const heads = await Promise.all(Array.from({ length: 10 }, () => source.fetch(fresh)));
    expect(new Set(heads)).toEqual(new Set([head]));
    execFileSync('git', ['--git-dir', join(root, 'mirrors', 'p-concurrent.git'), 'fsck', '--no-dangling'], { stdio: 'pipe' });
    const reads = await Promise.all([source.fetch(fresh), source.readFile(fresh, head, 'services/web/index.js'), source.listFiles(fresh, head, 'lib')]);
    expect(reads).toEqual([head, 'w4', ['lib/util.js']]);
  });

  it('reports an unreachable remote and an unknown branch as SLW_SOURCE_UNREACHABLE', async () => {
    const missing = { ...ref, projectId: 'p-missing', repoUrl: join(root, 'no-such-repo') };
    await expectCode(source.remoteHead(missing), 'SLW_SOURCE_UNREACHABLE');
    await expectCode(source.fetch(missing), 'SLW_SOURCE_UNREACHABLE');
    await expectCode(source.remoteHead({ ...ref, branch: 'no-such-branch' }), 'SLW_SOURCE_UNREACHABLE');
    await expectCode(source.fetch({ ...ref, branch: 'no-such-branch' }), 'SLW_SOURCE_UNREACHABLE');
  });

  it('stops a fetch when its signal is aborted', async () => {
    await expect(source.fetch({ ...ref, projectId: 'p-aborted' }, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses URLs and branches git would read as options or commands', async () => {
    await expectCode(source.remoteHead({ ...ref, repoUrl: '--upload-pack=touch /tmp/pwned' }), 'SLW_SOURCE_FAILED');
    await expectCode(source.remoteHead({ ...ref, repoUrl: 'ext::sh -c touch% /tmp/pwned' }), 'SLW_SOURCE_FAILED');
    await expectCode(source.fetch({ ...ref, branch: '-x' }), 'SLW_SOURCE_FAILED');
    await expectCode(source.fetch({ ...ref, projectId: '../escape' }), 'SLW_SOURCE_FAILED');
  });

  it('never shows credentials of a URL nor stores them in the mirror', async () => {
    // Port 1 on loopback refuses at once: no network is needed.
    const secret = { ...ref, projectId: 'p-secret', repoUrl: 'https://user:s3cr3t-token@127.0.0.1:1/acme/app.git' };
    // Each call starts only when awaited: a rejection created early would go unhandled while the other is awaited.
    for (const attempt of [() => source.remoteHead(secret), () => source.fetch(secret)]) {
      const err = await expectCode(attempt(), 'SLW_SOURCE_UNREACHABLE');
      const shown = JSON.stringify({ message: err.message, json: err.toJSON(), cause: String(err.cause), stack: err.stack, command: (err.cause as { command?: string } | undefined)?.command });
      expect(shown).not.toContain('s3cr3t');
      expect(err.message).toContain('https://***@127.0.0.1:1/acme/app.git');
    }
    expect(readFileSync(join(root, 'mirrors', 'p-secret.git', 'config'), 'utf8')).not.toContain('s3cr3t');
  });
});
