import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Run, Store } from '@slipway/core';
import { createStore } from '@slipway/store';
import { createBlobStore, type BlobStore } from './blob-store.js';
import { cacheVersion, createCiStorage, type CiStorage } from './ci-storage.js';

const dirs: string[] = [];
const tempDir = (name = 'ci') => {
  const dir = mkdtempSync(join(tmpdir(), `slipway-ci-storage-${name}-`));
  dirs.push(dir);
  return dir;
};

/** Writes files given as relative path → content under root. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('createCiStorage', () => {
  let store: Store;
  let blobs: BlobStore;
  let project: Project;
  let run: Run;
  let storage: CiStorage;
  let clockMs = Date.parse('2026-01-01T00:00:00Z');
  const home = tempDir('home');

  beforeAll(async () => {
    // A clock the tests move, so that "newest" among restore-key matches is well defined.
    store = await createStore({ database: ':memory:', clock: { now: () => new Date(clockMs) } });
    blobs = createBlobStore(join(tempDir('blobs'), 'blobs'));
    project = await store.createProject({ name: 'app', repoUrl: '/r', branch: 'main', pollIntervalMs: 1000 });
    run = await store.createRun({ projectId: project.id, workflow: 'ci.yml', workflowName: 'CI', commitSha: 'a'.repeat(40), branch: 'main', trigger: 'push', jobs: [] });
    storage = createCiStorage({ store, blobs, projectId: project.id, homeDir: home });
  });
  afterAll(async () => {
    await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('caches', () => {
    it('saves once per key and restores an exact hit into another workspace', async () => {
      const ws = tempDir('ws');
      write(ws, { 'node_modules/left-pad/index.js': 'module.exports = 1;\n', 'node_modules/.bin/x': 'x' });
      expect(await storage.saveCache('npm-linux-abc', ['node_modules'], ws)).toBe('saved');
      write(ws, { 'node_modules/changed.js': 'later' });
      expect(await storage.saveCache('npm-linux-abc', ['node_modules'], ws)).toBe('exists');

      const other = tempDir('ws');
      expect(await storage.restoreCache('npm-linux-abc', [], ['node_modules'], other)).toEqual({ hit: true, matchedKey: 'npm-linux-abc' });
      expect(readFileSync(join(other, 'node_modules/left-pad/index.js'), 'utf8')).toBe('module.exports = 1;\n');
      // The cache is what was saved first: immutable.
      expect(existsSync(join(other, 'node_modules/changed.js'))).toBe(false);
    });

    it('falls back to the newest restore-key match, which is not a hit', async () => {
      const ws = tempDir('ws');
      write(ws, { 'deps/v': 'old' });
      await storage.saveCache('deps-linux-1111', ['deps'], ws);
      clockMs += 60_000;
      write(ws, { 'deps/v': 'new' });
      await storage.saveCache('deps-linux-2222', ['deps'], ws);
      clockMs += 60_000;
      const other = tempDir('ws');
      expect(await storage.restoreCache('deps-linux-3333', ['deps-linux-', 'deps-'], ['deps'], other)).toEqual({ hit: false, matchedKey: 'deps-linux-2222' });
      expect(readFileSync(join(other, 'deps/v'), 'utf8')).toBe('new');
      const entry = (await store.listCacheEntries({ projectId: project.id })).find((e) => e.key === 'deps-linux-2222');
      expect(entry?.lastUsedAt).toBe(new Date(clockMs).toISOString());
    });

    it('misses when the paths differ (another version) or nothing matches', async () => {
      const ws = tempDir('ws');
      write(ws, { 'a/file': '1', 'b/file': '2' });
      await storage.saveCache('paths-key', ['a'], ws);
      expect(cacheVersion(['a'])).not.toBe(cacheVersion(['a', 'b']));
      expect(await storage.restoreCache('paths-key', [], ['a', 'b'], tempDir('ws'))).toEqual({ hit: false });
      expect(await storage.restoreCache('unknown', ['nothing-'], ['a'], tempDir('ws'))).toEqual({ hit: false });
    });

    it('restores paths outside the workspace (~) where they were', async () => {
      const ws = tempDir('ws');
      write(home, { '.npm/_cacache/index': 'cached' });
      write(ws, { 'build/out.txt': 'out' });
      expect(await storage.saveCache('home-key', ['~/.npm', 'build'], ws)).toBe('saved');
      rmSync(join(home, '.npm'), { recursive: true });
      const other = tempDir('ws');
      expect((await storage.restoreCache('home-key', [], ['~/.npm', 'build'], other)).hit).toBe(true);
      expect(readFileSync(join(home, '.npm/_cacache/index'), 'utf8')).toBe('cached');
      expect(readFileSync(join(other, 'build/out.txt'), 'utf8')).toBe('out');
      expect(existsSync(join(other, home))).toBe(false);
    });

    it('saves nothing when no path exists, and refuses keys GitHub refuses', async () => {
      const ws = tempDir('ws');
      expect(await storage.saveCache('empty-key', ['missing', 'also-missing'], ws)).toBe('empty');
      expect(await storage.restoreCache('empty-key', [], ['missing', 'also-missing'], ws)).toEqual({ hit: false });
      await expect(storage.saveCache('a,b', ['x'], ws)).rejects.toMatchObject({ code: 'SLW_WORKFLOW_INVALID' });
      await expect(storage.saveCache('k'.repeat(513), ['x'], ws)).rejects.toMatchObject({ code: 'SLW_WORKFLOW_INVALID' });
      await expect(storage.restoreCache('ok', ['bad,key'], ['x'], ws)).rejects.toMatchObject({ code: 'SLW_WORKFLOW_INVALID' });
    });
  });

  describe('artifacts', () => {
    it('puts a single directory\'s contents at the root', async () => {
      const ws = tempDir('ws');
      write(ws, { 'dist/app.js': 'app', 'dist/assets/logo.svg': '<svg/>' });
      const artifact = await storage.uploadArtifact(run.id, 'dist', ['dist'], ws);
      expect(artifact).toMatchObject({ runId: run.id, name: 'dist', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(artifact.size).toBeGreaterThan(0);
      const dest = join(tempDir('dl'), 'here');
      expect(await storage.downloadArtifact(run.id, 'dist', dest)).toBe(true);
      expect(readdirSync(dest).sort()).toEqual(['app.js', 'assets']);
      expect(readFileSync(join(dest, 'assets/logo.svg'), 'utf8')).toBe('<svg/>');
    });

    it('roots several paths at their least common ancestor, and a single file at its directory', async () => {
      const ws = tempDir('ws');
      write(ws, { 'out/a/one.txt': '1', 'out/b/two.txt': '2', 'report.xml': '<r/>' });
      await storage.uploadArtifact(run.id, 'multi', ['out/a', 'out/b/two.txt'], ws);
      const dest = tempDir('dl');
      await storage.downloadArtifact(run.id, 'multi', dest);
      expect(readFileSync(join(dest, 'a/one.txt'), 'utf8')).toBe('1');
      expect(readFileSync(join(dest, 'b/two.txt'), 'utf8')).toBe('2');
      await storage.uploadArtifact(run.id, 'report', [join(ws, 'report.xml')], '/');
      const reportDest = tempDir('dl');
      await storage.downloadArtifact(run.id, 'report', reportDest);
      expect(readdirSync(reportDest)).toEqual(['report.xml']);
    });

    it('keeps names unique per run unless overwritten, and shares blobs of equal content', async () => {
      const ws = tempDir('ws');
      write(ws, { 'x/file': 'same' });
      const first = await storage.uploadArtifact(run.id, 'twice', ['x'], ws);
      await expect(storage.uploadArtifact(run.id, 'twice', ['x'], ws)).rejects.toMatchObject({ code: 'SLW_CONFLICT' });
      const again = await storage.uploadArtifact(run.id, 'twice', ['x'], ws, { overwrite: true });
      expect(again.digest).toBe(first.digest);
      const copy = await storage.uploadArtifact(run.id, 'copy', ['x'], ws);
      expect(copy.digest).toBe(first.digest);
    });

    it('reports a missing artifact as false, no files as SLW_NOT_FOUND, and bad names', async () => {
      const ws = tempDir('ws');
      expect(await storage.downloadArtifact(run.id, 'never-uploaded', tempDir('dl'))).toBe(false);
      await expect(storage.uploadArtifact(run.id, 'none', ['missing/*.txt'], ws)).rejects.toMatchObject({ code: 'SLW_NOT_FOUND', message: expect.stringContaining('missing/*.txt') });
      for (const name of ['', 'a/b', 'a:b', 'what?']) {
        await expect(storage.uploadArtifact(run.id, name, ['.'], ws)).rejects.toMatchObject({ code: 'SLW_WORKFLOW_INVALID' });
      }
    });
  });
});
