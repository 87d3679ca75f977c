import type { QueueItem, Store } from '@slipway/core';
import { SlipwayError } from '@slipway/core';
import { createStore } from '@slipway/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { createWorker, type JobHandler, type Worker, type WorkerOptions } from './worker.js';

let store: Store;
const workers: Worker[] = [];

beforeEach(async () => {
  store = await createStore({ database: ':memory:' });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await store.close();
});

function start(handlers: Record<string, JobHandler>, options: Partial<WorkerOptions> = {}): Worker {
  const worker = createWorker({ store, handlers, logger: silentLogger, pollMs: 20, backoffMs: () => 0, ...options });
  workers.push(worker);
  worker.start();
  return worker;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the signal aborts, rejecting with its reason as a handler that honours it does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

const item = async (id: string) => (await store.getQueueItem(id))!;
const waitFor = <T>(check: () => Promise<T> | T) => vi.waitFor(check, { timeout: 2500, interval: 20 });

describe('createWorker', () => {
  it('runs a job with its payload and marks the item done', async () => {
    const seen: QueueItem[] = [];
    const queued = await store.enqueue({ kind: 'greet', payload: { name: 'ada' } });
    start({ greet: async (it) => void seen.push(it) });
    await waitFor(async () => expect((await item(queued.id)).status).toBe('done'));
    expect(seen.map((it) => [it.id, it.payload, it.attempts])).toEqual([[queued.id, { name: 'ada' }, 1]]);
  });

  it('keeps reserved slots for priority kinds, and claims them first', async () => {
    const started: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    for (let i = 0; i < 3; i++) await store.enqueue({ kind: 'ci', payload: { i } });
    start(
      {
        ci: async (it) => {
          started.push(`ci${String(it.payload.i)}`);
          await gate;
        },
        control: async () => void started.push('control'),
      },
      { concurrency: 3, priorityKinds: ['control'], reservedSlots: 1 },
    );
    await waitFor(() => expect(started).toHaveLength(2));
    await sleep(100);
    // Two of three slots run CI; the third stays free for the control plane.
    expect(started).toEqual(['ci0', 'ci1']);
    await store.enqueue({ kind: 'control', payload: {} });
    await waitFor(() => expect(started).toContain('control'));
    release();
    await waitFor(() => expect(started).toContain('ci2'));
  });

  it('retries a job whose handler throws, then completes it', async () => {
    const queued = await store.enqueue({ kind: 'flaky', payload: {} });
    const attempts: number[] = [];
    start({
      flaky: async (it) => {
        attempts.push(it.attempts);
        if (attempts.length === 1) throw new SlipwayError('SLW_SOURCE_UNREACHABLE', 'git remote timed out');
      },
    });
    await waitFor(async () => expect((await item(queued.id)).status).toBe('done'));
    expect(attempts).toEqual([1, 2]);
    expect(await item(queued.id)).toMatchObject({ attempts: 2, lastError: 'SLW_SOURCE_UNREACHABLE git remote timed out' });
  });

  it('waits the backoff of the attempt before retrying', async () => {
    const queued = await store.enqueue({ kind: 'flaky', payload: {} });
    const times: number[] = [];
    start(
      {
        flaky: async () => {
          times.push(Date.now());
          throw new Error('boom');
        },
      },
      { backoffMs: (n) => n * 300 },
    );
    await waitFor(() => expect(times.length).toBe(2));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(290);
    expect((await item(queued.id)).lastError).toBe('SLW_INTERNAL boom');
  });

  it('aborts a job whose lease is lost, and leaves the item to its new owner', async () => {
    const queued = await store.enqueue({ kind: 'slow', payload: {} });
    let signal: AbortSignal | undefined;
    start(
      {
        slow: async (_it, s) => {
          signal = s;
          await Promise.race([untilAborted(s), sleep(2500)]);
        },
      },
      { leaseMs: 300 },
    );
    await waitFor(() => expect(signal).toBeDefined());
    // Another worker takes the job over, as it would after this one stalled past its lease.
    let stolen: QueueItem | undefined;
    await waitFor(async () => {
      await store.expireAllLeases();
      stolen = await store.claim({ owner: 'thief', leaseMs: 60_000, kinds: ['slow'] });
      expect(stolen?.id).toBe(queued.id);
    });
    await waitFor(() => expect(signal!.aborted).toBe(true));
    expect((signal!.reason as SlipwayError).code).toBe('SLW_LEASE_LOST');
    // The first worker's failure must not touch an item it no longer holds.
    await sleep(100);
    expect(await item(queued.id)).toMatchObject({ status: 'leased', leaseOwner: 'thief', attempts: 2 });
  });

  it('keeps a lease alive with heartbeats while a job runs longer than the lease', async () => {
    const queued = await store.enqueue({ kind: 'slow', payload: {} });
    let signal: AbortSignal | undefined;
    start(
      {
        slow: async (_it, s) => {
          signal = s;
          await sleep(900);
        },
      },
      { leaseMs: 300 },
    );
    await waitFor(() => expect(signal).toBeDefined());
    await sleep(700);
    expect(await store.claim({ owner: 'thief', leaseMs: 1000 })).toBeUndefined();
    await waitFor(async () => expect((await item(queued.id)).status).toBe('done'));
    expect(signal!.aborted).toBe(false);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    for (let i = 0; i < 4; i++) await store.enqueue({ kind: 'k', payload: { i } });
    let running = 0;
    let peak = 0;
    let done = 0;
    start(
      {
        k: async () => {
          peak = Math.max(peak, ++running);
          await sleep(100);
          running--;
          done++;
        },
      },
      { concurrency: 2 },
    );
    await waitFor(() => expect(done).toBe(4));
    expect(peak).toBe(2);
  });

  it('claims new work on wake() without waiting for the next poll', async () => {
    const ran: string[] = [];
    const worker = start({ k: async (it) => void ran.push(it.id) }, { pollMs: 60_000 });
    await sleep(50);
    const queued = await store.enqueue({ kind: 'k', payload: {} });
    worker.wake();
    await waitFor(() => expect(ran).toEqual([queued.id]));
  });

  it('stop() aborts running jobs, waits for them, and leaves their items leased for a later claim', async () => {
    const queued = await store.enqueue({ kind: 'slow', payload: {} });
    let signal: AbortSignal | undefined;
    let settled = false;
    const worker = start({
      slow: async (_it, s) => {
        signal = s;
        try {
          await Promise.race([untilAborted(s), sleep(2500)]);
        } finally {
          await sleep(50);
          settled = true;
        }
      },
    });
    await waitFor(() => expect(signal).toBeDefined());
    const t0 = Date.now();
    await worker.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(signal!.aborted).toBe(true);
    expect((signal!.reason as SlipwayError).code).toBe('SLW_LEASE_LOST');
    expect(settled).toBe(true);
    expect(await item(queued.id)).toMatchObject({ status: 'leased', attempts: 1 });
  });

  it('stop() waits for a job that ignores its signal', async () => {
    let finished = false;
    await store.enqueue({ kind: 'stubborn', payload: {} });
    let started = false;
    const worker = start({
      stubborn: async () => {
        started = true;
        await sleep(300);
        finished = true;
      },
    });
    await waitFor(() => expect(started).toBe(true));
    await worker.stop();
    expect(finished).toBe(true);
  });

  it('starts no job after stop() resolved, even one claimed while stopping', async () => {
    const queued = await store.enqueue({ kind: 'k', payload: {} });
    let calls = 0;
    // start() claims at once; stop() runs while that claim is still in flight.
    const worker = start({ k: async () => void calls++ });
    await worker.stop();
    await sleep(200);
    expect(calls).toBe(0);
    // Left leased, like the jobs stop() aborts: it is claimed again once the lease expires.
    expect(await item(queued.id)).toMatchObject({ status: 'leased', attempts: 1 });
  });

  it('claims nothing after stop()', async () => {
    const worker = start({ k: async () => {} });
    await worker.stop();
    const queued = await store.enqueue({ kind: 'k', payload: {} });
    worker.wake();
    await sleep(150);
    expect((await item(queued.id)).status).toBe('ready');
  });
});
