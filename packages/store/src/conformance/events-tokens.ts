import { describe, expect, it } from 'vitest';
import { seedProject, useStore, type NewStore } from './fixtures.js';

export function eventAndTokenConformance(newStore: NewStore): void {
  describe('events', () => {
    const f = useStore(newStore);

    it('assigns strictly increasing seq and stamps the clock time', async () => {
      const p = await seedProject(f.store);
      const a = await f.store.appendEvent({ kind: 'project.added', message: 'added', projectId: p.id, subject: `project:${p.id}`, data: { n: 1 } });
      f.clock.advance(5);
      const b = await f.store.appendEvent({ kind: 'server.started', message: 'started' });
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(a).toMatchObject({ kind: 'project.added', projectId: p.id, subject: `project:${p.id}`, data: { n: 1 } });
      expect(b).toMatchObject({ projectId: null, subject: null, data: {}, ts: f.clock.now().toISOString() });
      expect(await f.store.listEvents({ afterSeq: a.seq - 1 })).toEqual([a, b]);
    });

    it('filters by afterSeq, project and subject, and returns the newest still ascending', async () => {
      const p = await seedProject(f.store);
      const mark = (await f.store.appendEvent({ kind: 'commit.seen', message: 'mark' })).seq;
      const events = [];
      for (let i = 0; i < 5; i++) {
        events.push(await f.store.appendEvent({ kind: 'run.queued', message: `run ${i}`, projectId: p.id, subject: `run:${i % 2}` }));
      }
      expect((await f.store.listEvents({ afterSeq: mark })).map((e) => e.message)).toEqual(['run 0', 'run 1', 'run 2', 'run 3', 'run 4']);
      expect((await f.store.listEvents({ afterSeq: mark, limit: 2 })).map((e) => e.message)).toEqual(['run 0', 'run 1']);
      expect((await f.store.listEvents({ projectId: p.id, subject: 'run:1' })).map((e) => e.message)).toEqual(['run 1', 'run 3']);
      expect((await f.store.listEvents({ newest: true, limit: 2 })).map((e) => e.message)).toEqual(['run 3', 'run 4']);
      expect((await f.store.listEvents({ projectId: p.id, newest: true, limit: 10 })).map((e) => e.seq)).toEqual(events.map((e) => e.seq));
      expect(await f.store.listEvents({ afterSeq: events[4]!.seq })).toEqual([]);
    });

    it('keeps seq unique and increasing under concurrent appenders', async () => {
      const p = await seedProject(f.store);
      await Promise.all(Array.from({ length: 20 }, (_, i) => f.store.appendEvent({ kind: 'commit.seen', message: String(i), projectId: p.id })));
      const seqs = (await f.store.listEvents({ projectId: p.id })).map((e) => e.seq);
      expect(seqs).toHaveLength(20);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    });
  });

  describe('api tokens', () => {
    const f = useStore(newStore);

    it('creates, finds by hash, touches, lists and deletes tokens without exposing the hash', async () => {
      const t = await f.store.createToken({ name: 'ci', role: 'deployer', hash: 'h'.repeat(64) });
      expect(t).toEqual({ id: t.id, name: 'ci', role: 'deployer', createdAt: f.clock.now().toISOString(), lastUsedAt: null });
      expect(await f.store.findTokenByHash('h'.repeat(64))).toEqual(t);
      expect(await f.store.findTokenByHash('x'.repeat(64))).toBeUndefined();
      f.clock.advance(60_000);
      await f.store.touchToken(t.id);
      const touched = await f.store.findTokenByHash('h'.repeat(64));
      expect(touched?.lastUsedAt).toBe(f.clock.now().toISOString());
      const admin = await f.store.createToken({ name: 'me', role: 'admin', hash: 'a'.repeat(64) });
      expect((await f.store.listTokens()).map((x) => x.id)).toEqual([admin.id, t.id]);
      expect(await f.store.deleteToken(t.id)).toBe(true);
      expect(await f.store.deleteToken(t.id)).toBe(false);
      expect((await f.store.listTokens()).map((x) => x.id)).toEqual([admin.id]);
    });
  });
}
