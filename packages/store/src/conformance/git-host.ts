import { describe, expect, it } from 'vitest';
import { seedProject, useStore, type NewStore } from './fixtures.js';

/** A project's git host settings: where its commit statuses and pull request comments go. */
export function gitHostConformance(newStore: NewStore): void {
  describe('project git host', () => {
    const f = useStore(newStore);

    it('starts with none, keeps what is set, and clears it', async () => {
      const p = await seedProject(f.store);
      expect(p.gitHost).toBeNull();
      const gitHost = { kind: 'gitlab' as const, apiUrl: 'https://gitlab.example.com/api/v4', repository: 'group/sub/shop' };
      await f.store.setProjectGitHost(p.id, gitHost);
      expect((await f.store.getProject(p.id))?.gitHost).toEqual(gitHost);
      expect((await f.store.listProjects()).find((x) => x.id === p.id)?.gitHost).toEqual(gitHost);
      await f.store.setProjectGitHost(p.id, { kind: 'github', apiUrl: 'https://api.github.com', repository: 'acme/shop' });
      expect((await f.store.getProject(p.name))?.gitHost).toEqual({ kind: 'github', apiUrl: 'https://api.github.com', repository: 'acme/shop' });
      await f.store.setProjectGitHost(p.id, null);
      expect((await f.store.getProject(p.id))?.gitHost).toBeNull();
    });

    it('changes only the project it is given', async () => {
      const a = await seedProject(f.store);
      const b = await seedProject(f.store);
      await f.store.setProjectGitHost(a.id, { kind: 'gitea', apiUrl: 'https://codeberg.org/api/v1', repository: 'acme/a' });
      expect((await f.store.getProject(b.id))?.gitHost).toBeNull();
    });
  });
}
