import { describe, expect, it } from 'vitest';
import { useStore, type NewStore } from './fixtures.js';

let kindCounter = 0;
/** Each test uses its own job kind and claims only that kind, so tests sharing a store do not take each other's items. */
const freshKind = () => `test.kind-${++kindCounter}`;

export function queueConformance(newStore: NewStore): void {
  describe('queue', () => {
    const f = useStore(newStore);
    const lease = 10_000;

    it('enqueues a ready item with defaults', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: { projectId: 'p1', nested: { a: [1, 2] } } });
      expect(item).toMatchObject({ kind, status: 'ready', attempts: 0, maxAttempts: 5, leaseOwner: null, leaseExpiresAt: null, lastError: null, dedupeKey: null });
      expect(item.payload).toEqual({ projectId: 'p1', nested: { a: [1, 2] } });
      expect(item.runAfter).toBe(f.clock.now().toISOString());
      expect(await f.store.getQueueItem(item.id)).toEqual(item);
      expect(await f.store.getQueueItem('q_missing')).toBeUndefined();
    });

    it('lets exactly one of two owners claim an item', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: {} });
      const [a, b] = await Promise.all([f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] }), f.store.claim({ owner: 'b', leaseMs: lease, kinds: [kind] })]);
      const winner = a ?? b;
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(winner).toMatchObject({ id: item.id, status: 'leased', attempts: 1, leaseExpiresAt: new Date(f.clock.now().getTime() + lease).toISOString() });
      expect(['a', 'b']).toContain(winner!.leaseOwner);
      expect(await f.store.getQueueItem(item.id)).toEqual(winner);
    });

    it('claims only the given kinds, and nothing before runAfter', async () => {
      const kind = freshKind();
      const later = await f.store.enqueue({ kind, payload: {}, runAfterMs: 5000 });
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [freshKind()] })).toBeUndefined();
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [] })).toBeUndefined();
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toBeUndefined();
      f.clock.advance(5000);
      expect((await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] }))?.id).toBe(later.id);
    });

    it('hands an expired lease to another owner; the old owner can no longer heartbeat, complete or fail', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: {} });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      expect(await f.store.heartbeat(item.id, 'b', lease)).toBe(false);
      f.clock.advance(lease - 1);
      expect(await f.store.heartbeat(item.id, 'a', lease)).toBe(true);
      f.clock.advance(lease - 1);
      expect(await f.store.claim({ owner: 'b', leaseMs: lease, kinds: [kind] })).toBeUndefined();
      f.clock.advance(1);
      const taken = await f.store.claim({ owner: 'b', leaseMs: lease, kinds: [kind] });
      expect(taken).toMatchObject({ id: item.id, attempts: 2, leaseOwner: 'b' });
      expect(await f.store.heartbeat(item.id, 'a', lease)).toBe(false);
      expect(await f.store.complete(item.id, 'a')).toBe(false);
      expect(await f.store.fail(item.id, 'a', { error: 'late', retryAfterMs: 0 })).toBe(false);
      expect(await f.store.complete(item.id, 'b')).toBe(true);
      expect(await f.store.complete(item.id, 'b')).toBe(false);
      expect((await f.store.getQueueItem(item.id))?.status).toBe('done');
      f.clock.advance(10 * lease);
      expect(await f.store.claim({ owner: 'c', leaseMs: lease, kinds: [kind] })).toBeUndefined();
    });

    it('retries a failed item after the delay and kills it at maxAttempts', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: {}, maxAttempts: 2 });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      expect(await f.store.fail(item.id, 'a', { error: 'first', retryAfterMs: 3000 })).toBe(true);
      expect(await f.store.getQueueItem(item.id)).toMatchObject({ status: 'ready', attempts: 1, lastError: 'first', leaseOwner: null, runAfter: new Date(f.clock.now().getTime() + 3000).toISOString() });
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toBeUndefined();
      f.clock.advance(3000);
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toMatchObject({ id: item.id, attempts: 2 });
      expect(await f.store.fail(item.id, 'a', { error: 'second', retryAfterMs: 0 })).toBe(true);
      expect(await f.store.getQueueItem(item.id)).toMatchObject({ status: 'dead', attempts: 2, lastError: 'second' });
      f.clock.advance(lease);
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toBeUndefined();
    });

    it('defers a held item without counting the attempt', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: {}, maxAttempts: 1 });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      expect(await f.store.defer(item.id, 'b', 1000)).toBe(false);
      expect(await f.store.defer(item.id, 'a', 1000)).toBe(true);
      expect(await f.store.getQueueItem(item.id)).toMatchObject({ status: 'ready', attempts: 0, leaseOwner: null, lastError: null });
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toBeUndefined();
      f.clock.advance(1000);
      expect(await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] })).toMatchObject({ id: item.id, attempts: 1 });
    });

    it('marks an item dead when its lease expires on the last attempt', async () => {
      const kind = freshKind();
      const item = await f.store.enqueue({ kind, payload: {}, maxAttempts: 1 });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      f.clock.advance(lease);
      expect(await f.store.claim({ owner: 'b', leaseMs: lease, kinds: [kind] })).toBeUndefined();
      expect(await f.store.getQueueItem(item.id)).toMatchObject({ status: 'dead', attempts: 1 });
    });

    it('returns the unfinished item of a dedupe key instead of adding another', async () => {
      const kind = freshKind();
      const first = await f.store.enqueue({ kind, payload: { n: 1 }, dedupeKey: `${kind}:p1` });
      expect((await f.store.enqueue({ kind, payload: { n: 2 }, dedupeKey: `${kind}:p1` })).id).toBe(first.id);
      const other = await f.store.enqueue({ kind, payload: {}, dedupeKey: `${kind}:p2` });
      expect(other.id).not.toBe(first.id);
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      const again = await Promise.all([1, 2, 3].map(() => f.store.enqueue({ kind, payload: {}, dedupeKey: `${kind}:p1` })));
      expect(again.map((i) => i.id)).toEqual([first.id, first.id, first.id]);
      await f.store.complete(first.id, 'a');
      const fresh = await f.store.enqueue({ kind, payload: { n: 3 }, dedupeKey: `${kind}:p1` });
      expect(fresh.id).not.toBe(first.id);
      expect(fresh.payload).toEqual({ n: 3 });
    });

    it('reports the depth by kind and status', async () => {
      const kind = freshKind();
      await Promise.all([1, 2, 3, 4].map(() => f.store.enqueue({ kind, payload: {} })));
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      const depth = (await f.store.queueDepth()).filter((d) => d.kind === kind);
      expect(depth).toEqual([
        { kind, status: 'leased', count: 1 },
        { kind, status: 'ready', count: 3 },
      ]);
    });

    it('expires every current lease at once', async () => {
      const kind = freshKind();
      const items = await Promise.all([1, 2].map(() => f.store.enqueue({ kind, payload: {} })));
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      expect(await f.store.expireAllLeases()).toBeGreaterThanOrEqual(2);
      expect(await f.store.expireAllLeases()).toBe(0);
      const retaken = await Promise.all([1, 2].map(() => f.store.claim({ owner: 'b', leaseMs: lease, kinds: [kind] })));
      expect(retaken.map((i) => [i?.leaseOwner, i?.attempts])).toEqual([['b', 2], ['b', 2]]);
      expect(new Set(retaken.map((i) => i?.id))).toEqual(new Set(items.map((i) => i.id)));
    });

    it('prunes finished items scheduled before a time, and nothing else', async () => {
      const kind = freshKind();
      const done = await f.store.enqueue({ kind, payload: {} });
      const ready = await f.store.enqueue({ kind, payload: {}, runAfterMs: 60_000 });
      await f.store.claim({ owner: 'a', leaseMs: lease, kinds: [kind] });
      await f.store.complete(done.id, 'a');
      // Other tests' items share the store: look at this test's items only.
      await f.store.pruneQueue(new Date(f.clock.now().getTime() - 1000).toISOString());
      expect(await f.store.getQueueItem(done.id)).toMatchObject({ status: 'done' });
      f.clock.advance(10_000);
      expect(await f.store.pruneQueue(f.clock.now().toISOString())).toBeGreaterThanOrEqual(1);
      expect(await f.store.getQueueItem(done.id)).toBeUndefined();
      expect(await f.store.getQueueItem(ready.id)).toMatchObject({ status: 'ready' });
    });

    it('gives each of 10 items to exactly one of 20 concurrent claimers', async () => {
      const kind = freshKind();
      const items = await Promise.all(Array.from({ length: 10 }, (_, i) => f.store.enqueue({ kind, payload: { i } })));
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => f.store.claim({ owner: `owner-${i}`, leaseMs: lease, kinds: [kind] })));
      const won = claims.filter((c) => c !== undefined);
      expect(won).toHaveLength(10);
      expect(new Set(won.map((c) => c.id))).toEqual(new Set(items.map((i) => i.id)));
      expect(new Set(won.map((c) => c.leaseOwner)).size).toBe(10);
      for (const c of won) expect(await f.store.complete(c.id, c.leaseOwner!)).toBe(true);
    });
  });
}
