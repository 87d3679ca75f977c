import { describe, expect, it } from 'vitest';
import { seedProject, useStore, type NewStore } from './fixtures.js';

export function secretConformance(newStore: NewStore): void {
  describe('secrets', () => {
    const f = useStore(newStore);

    it('upserts per scope, with case-insensitive names stored upper case', async () => {
      const p = await seedProject(f.store);
      await f.store.putSecret({ projectId: p.id, name: 'npm_token', ciphertext: 'v1:a' });
      const first = await f.store.listSecrets(p.id);
      expect(first).toEqual([{ name: 'NPM_TOKEN', projectId: p.id, updatedAt: f.clock.now().toISOString() }]);
      f.clock.advance(1000);
      await f.store.putSecret({ projectId: p.id, name: 'NPM_Token', ciphertext: 'v1:b' });
      expect(await f.store.listSecrets(p.id)).toEqual([{ name: 'NPM_TOKEN', projectId: p.id, updatedAt: f.clock.now().toISOString() }]);
      expect(await f.store.getSecrets(p.id, ['npm_TOKEN'])).toEqual([{ name: 'NPM_TOKEN', projectId: p.id, ciphertext: 'v1:b' }]);
    });

    it('lets a project value win over the global one and falls back to global', async () => {
      const p = await seedProject(f.store);
      const other = await seedProject(f.store);
      await f.store.putSecret({ projectId: null, name: 'SHARED', ciphertext: 'global-shared' });
      await f.store.putSecret({ projectId: null, name: 'ONLY_GLOBAL', ciphertext: 'global-only' });
      await f.store.putSecret({ projectId: p.id, name: 'SHARED', ciphertext: 'project-shared' });
      // Put twice: a second global of one name replaces the first (NULL scopes must not be distinct).
      await f.store.putSecret({ projectId: null, name: 'SHARED', ciphertext: 'global-shared-2' });
      expect(await f.store.getSecrets(p.id, ['shared', 'only_global', 'absent'])).toEqual([
        { name: 'SHARED', projectId: p.id, ciphertext: 'project-shared' },
        { name: 'ONLY_GLOBAL', projectId: null, ciphertext: 'global-only' },
      ]);
      expect(await f.store.getSecrets(other.id, ['SHARED'])).toEqual([{ name: 'SHARED', projectId: null, ciphertext: 'global-shared-2' }]);
      expect(await f.store.getSecrets(null, ['SHARED', 'SHARED'])).toEqual([{ name: 'SHARED', projectId: null, ciphertext: 'global-shared-2' }]);
      expect(await f.store.getSecrets(p.id, [])).toEqual([]);
    });

    it('lists names by name then scope, global first, and filters by scope', async () => {
      const p = await seedProject(f.store);
      await f.store.putSecret({ projectId: p.id, name: 'B_KEY', ciphertext: 'x' });
      await f.store.putSecret({ projectId: p.id, name: 'A_KEY', ciphertext: 'x' });
      await f.store.putSecret({ projectId: null, name: 'A_KEY', ciphertext: 'x' });
      const all = (await f.store.listSecrets()).filter((s) => s.name === 'A_KEY' || s.name === 'B_KEY');
      expect(all.map((s) => [s.name, s.projectId])).toEqual([
        ['A_KEY', null],
        ['A_KEY', p.id],
        ['B_KEY', p.id],
      ]);
      expect((await f.store.listSecrets(p.id)).map((s) => s.name)).toEqual(['A_KEY', 'B_KEY']);
      expect((await f.store.listSecrets(null)).every((s) => s.projectId === null)).toBe(true);
      expect(JSON.stringify(await f.store.listSecrets())).not.toContain('ciphertext');
    });

    it('deletes in one scope only', async () => {
      const p = await seedProject(f.store);
      await f.store.putSecret({ projectId: p.id, name: 'GONE', ciphertext: 'p' });
      await f.store.putSecret({ projectId: null, name: 'GONE', ciphertext: 'g' });
      expect(await f.store.deleteSecret(p.id, 'gone')).toBe(true);
      expect(await f.store.deleteSecret(p.id, 'GONE')).toBe(false);
      expect(await f.store.getSecrets(p.id, ['GONE'])).toEqual([{ name: 'GONE', projectId: null, ciphertext: 'g' }]);
      expect(await f.store.deleteSecret(null, 'GONE')).toBe(true);
      expect(await f.store.getSecrets(p.id, ['GONE'])).toEqual([]);
    });

    it('refuses names GitHub refuses, and unknown projects', async () => {
      for (const name of ['1ABC', 'HAS-DASH', 'github_token', 'GITHUB_X', '', 'A B']) {
        await expect(f.store.putSecret({ projectId: null, name, ciphertext: 'x' })).rejects.toMatchObject({ code: 'SLW_SECRET_NAME_INVALID' });
      }
      await expect(f.store.putSecret({ projectId: 'prj_missing', name: 'X', ciphertext: 'x' })).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    });
  });
}
