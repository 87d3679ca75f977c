import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@slipway/core';
import { createSqliteStore } from '@slipway/store';
import { reconcileAfterChange } from './reconcile-after-change.js';

describe('reconcileAfterChange (a real SQLite store)', () => {
  let store: Store;
  let wakes = 0;
  const wake = () => void wakes++;
  beforeEach(async () => {
    store = await createSqliteStore({ file: ':memory:' });
    wakes = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  it('queues a reconcile when none is waiting, and joins one that is waiting', async () => {
    const first = await reconcileAfterChange(store, wake, 'env_a');
    expect(await store.getQueueItem(first)).toMatchObject({ kind: 'environment.reconcile', status: 'ready', payload: { environmentId: 'env_a' } });
    // Not yet claimed: that reconcile observes after the change, so the same item will do.
    expect(await reconcileAfterChange(store, wake, 'env_a')).toBe(first);
    expect(wakes).toBe(2);
  });

  it('queues another reconcile after the one that is running, which may have observed before the change', async () => {
    const running = await store.enqueue({ kind: 'environment.reconcile', payload: { environmentId: 'env_a' }, dedupeKey: 'env:env_a' });
    expect(await store.claim({ owner: 'worker', leaseMs: 60_000, kinds: ['environment.reconcile'] })).toMatchObject({ id: running.id });
    let settled: string | undefined;
    const followUp = reconcileAfterChange(store, wake, 'env_a', { pollMs: 10 }).then((id) => (settled = id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Still running: nothing new yet (a second item now could run beside it).
    expect(settled).toBeUndefined();
    await store.complete(running.id, 'worker');
    const next = await followUp;
    expect(next).not.toBe(running.id);
    expect(await store.getQueueItem(next)).toMatchObject({ status: 'ready', payload: { environmentId: 'env_a' } });
    expect(await store.claim({ owner: 'worker', leaseMs: 60_000, kinds: ['environment.reconcile'] })).toMatchObject({ id: next });
  });

  it('leaves it to the resync when the running reconcile does not end in time', async () => {
    const running = await store.enqueue({ kind: 'environment.reconcile', payload: { environmentId: 'env_a' }, dedupeKey: 'env:env_a' });
    await store.claim({ owner: 'worker', leaseMs: 60_000, kinds: ['environment.reconcile'] });
    expect(await reconcileAfterChange(store, wake, 'env_a', { pollMs: 10, giveUpMs: 50 })).toBe(running.id);
  });
});
