import { describe, expect, it } from 'vitest';
import { runInput, seedProject, useStore, type NewStore } from './fixtures.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

export function ciStorageConformance(newStore: NewStore): void {
  describe('cache entries', () => {
    const f = useStore(newStore);
    const entry = (projectId: string, key: string, d = 'a', version = 'v1') => ({ projectId, key, version, digest: digest(d), size: 10 });

    it('writes a key and version once: a second put returns false and changes nothing', async () => {
      const p = await seedProject(f.store);
      expect(await f.store.putCacheEntry(entry(p.id, 'npm-linux-abc'))).toBe(true);
      expect(await f.store.putCacheEntry(entry(p.id, 'npm-linux-abc', 'b'))).toBe(false);
      expect(await f.store.findCacheEntry(p.id, ['npm-linux-abc'], 'v1')).toEqual({
        projectId: p.id,
        key: 'npm-linux-abc',
        version: 'v1',
        digest: digest('a'),
        size: 10,
        createdAt: f.clock.now().toISOString(),
        lastUsedAt: f.clock.now().toISOString(),
      });
      // Another version of the same key is another cache.
      expect(await f.store.putCacheEntry(entry(p.id, 'npm-linux-abc', 'c', 'v2'))).toBe(true);
      expect((await f.store.findCacheEntry(p.id, ['npm-linux-abc'], 'v2'))?.digest).toBe(digest('c'));
    });

    it('finds the exact key first, then the newest prefix match of each key in order, of the same version only', async () => {
      const p = await seedProject(f.store);
      await f.store.putCacheEntry(entry(p.id, 'npm-linux-old', '1'));
      f.clock.advance(1000);
      await f.store.putCacheEntry(entry(p.id, 'npm-linux-new', '2'));
      f.clock.advance(1000);
      await f.store.putCacheEntry(entry(p.id, 'npm-macos-x', '3'));
      f.clock.advance(1000);
      await f.store.putCacheEntry(entry(p.id, 'npm-linux-newest-other-version', '4', 'v2'));
      await f.store.putCacheEntry(entry(p.id, 'npm-linux-abc-extended', '5'));
      f.clock.advance(1000);
      const find = async (keys: string[], version = 'v1') => (await f.store.findCacheEntry(p.id, keys, version))?.key;
      expect(await find(['npm-linux-old', 'npm-'])).toBe('npm-linux-old');
      // The first key also matches as a prefix, before the restore keys (GitHub's documented order).
      expect(await find(['npm-linux-abc', 'npm-macos-'])).toBe('npm-linux-abc-extended');
      expect(await find(['npm-linux-zzz', 'npm-macos-', 'npm-'])).toBe('npm-macos-x');
      expect(await find(['npm-linux-zzz', 'npm-linux-'])).toBe('npm-linux-abc-extended');
      expect(await find(['npm-linux-zzz', 'npm-linux-n'])).toBe('npm-linux-new');
      expect(await find(['npm-linux-zzz', 'npm-linux-'], 'v2')).toBe('npm-linux-newest-other-version');
      expect(await find(['npm-linux-zzz', 'NPM-'])).toBeUndefined();
      expect(await find([])).toBeUndefined();
      const other = await seedProject(f.store);
      expect(await f.store.findCacheEntry(other.id, ['npm-'], 'v1')).toBeUndefined();
    });

    it('takes % and _ in keys literally', async () => {
      const p = await seedProject(f.store);
      await f.store.putCacheEntry(entry(p.id, 'a_b%c'));
      await f.store.putCacheEntry(entry(p.id, 'axbyc'));
      expect((await f.store.findCacheEntry(p.id, ['zzz', 'a_b%'], 'v1'))?.key).toBe('a_b%c');
      expect(await f.store.findCacheEntry(p.id, ['zzz', 'a%'], 'v1')).toBeUndefined();
      expect((await f.store.findCacheEntry(p.id, ['zzz', 'ax'], 'v1'))?.key).toBe('axbyc');
    });

    it('touches, lists newest first and deletes by last use', async () => {
      const p = await seedProject(f.store);
      await f.store.putCacheEntry(entry(p.id, 'k1'));
      f.clock.advance(1000);
      await f.store.putCacheEntry(entry(p.id, 'k2'));
      f.clock.advance(1000);
      await f.store.putCacheEntry(entry(p.id, 'k3'));
      expect((await f.store.listCacheEntries({ projectId: p.id })).map((e) => e.key)).toEqual(['k3', 'k2', 'k1']);
      expect((await f.store.listCacheEntries({ projectId: p.id, limit: 1 })).map((e) => e.key)).toEqual(['k3']);
      f.clock.advance(60_000);
      await f.store.touchCacheEntry(p.id, 'k1', 'v1');
      expect((await f.store.findCacheEntry(p.id, ['k1'], 'v1'))?.lastUsedAt).toBe(f.clock.now().toISOString());
      const cutoff = new Date(f.clock.now().getTime() - 1000).toISOString();
      const deleted = await f.store.deleteCacheEntries({ olderThan: cutoff, projectId: p.id });
      expect(deleted.map((e) => e.key).sort()).toEqual(['k2', 'k3']);
      expect(deleted[0]).toMatchObject({ projectId: p.id, digest: digest('a'), size: 10 });
      expect((await f.store.listCacheEntries({ projectId: p.id })).map((e) => e.key)).toEqual(['k1']);
    });

    it('keeps sizes beyond 32 bits and refuses unknown projects', async () => {
      const p = await seedProject(f.store);
      await f.store.putCacheEntry({ ...entry(p.id, 'big'), size: 5_000_000_000 });
      expect((await f.store.findCacheEntry(p.id, ['big'], 'v1'))?.size).toBe(5_000_000_000);
      await expect(f.store.putCacheEntry(entry('prj_missing', 'k'))).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    });
  });

  describe('artifacts', () => {
    const f = useStore(newStore);

    it('records artifacts per run, unique by name unless overwritten', async () => {
      const p = await seedProject(f.store);
      const run = await f.store.createRun(runInput(p.id));
      const other = await f.store.createRun(runInput(p.id));
      const saved = await f.store.putArtifact({ runId: run.id, name: 'dist', digest: digest('a'), size: 5_000_000_000 });
      expect(saved).toEqual({ runId: run.id, name: 'dist', digest: digest('a'), size: 5_000_000_000, createdAt: f.clock.now().toISOString() });
      await f.store.putArtifact({ runId: run.id, name: 'coverage', digest: digest('b'), size: 2 });
      await f.store.putArtifact({ runId: other.id, name: 'dist', digest: digest('c'), size: 3 });
      await expect(f.store.putArtifact({ runId: run.id, name: 'dist', digest: digest('d'), size: 4 })).rejects.toMatchObject({ code: 'SLW_CONFLICT' });
      expect(await f.store.getArtifact(run.id, 'dist')).toEqual(saved);
      f.clock.advance(1000);
      const replaced = await f.store.putArtifact({ runId: run.id, name: 'dist', digest: digest('d'), size: 4, overwrite: true });
      expect(replaced).toEqual({ runId: run.id, name: 'dist', digest: digest('d'), size: 4, createdAt: f.clock.now().toISOString() });
      expect((await f.store.listArtifacts(run.id)).map((a) => [a.name, a.digest])).toEqual([
        ['coverage', digest('b')],
        ['dist', digest('d')],
      ]);
      expect(await f.store.getArtifact(run.id, 'nope')).toBeUndefined();
      expect(await f.store.listArtifacts('run_missing')).toEqual([]);
      await expect(f.store.putArtifact({ runId: 'run_missing', name: 'x', digest: digest('a'), size: 1 })).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    });
  });
}
