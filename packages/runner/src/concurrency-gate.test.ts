import { describe, expect, it } from 'vitest';
import { createConcurrencyGate } from './concurrency-gate.js';

const never = new AbortController().signal;

describe('concurrency gate', () => {
  it('admits one holder, queues one waiter and hands the group over on release', async () => {
    const gate = createConcurrencyGate();
    const cancelled: string[] = [];
    const releaseA = await gate.acquire('g', false, (r) => cancelled.push(`a: ${r}`), never);
    let bIn = false;
    const b = gate.acquire('g', false, (r) => cancelled.push(`b: ${r}`), never).then((rel) => ((bIn = true), rel));
    await Promise.resolve();
    expect(bIn).toBe(false);
    releaseA();
    const releaseB = await b;
    expect(bIn).toBe(true);
    releaseB();
    // The group is free again.
    (await gate.acquire('g', false, () => {}, never))();
    expect(cancelled).toEqual([]);
  });

  it('cancels the older waiter when a newer one arrives, and the holder too with cancel-in-progress', async () => {
    const gate = createConcurrencyGate();
    const cancelled: string[] = [];
    const controller = new AbortController();
    await gate.acquire('g', false, (r) => cancelled.push(`holder: ${r}`), never);
    const older = gate.acquire('g', false, (r) => {
      cancelled.push(`older: ${r}`);
      controller.abort();
    }, controller.signal);
    void gate.acquire('g', true, () => {}, never);
    await expect(older).rejects.toBeDefined();
    expect(cancelled).toEqual(['holder: cancelled: a newer job of concurrency group g started (cancel-in-progress)', 'older: cancelled: a newer job of concurrency group g is waiting']);
  });

  it('keeps groups apart', async () => {
    const gate = createConcurrencyGate();
    await gate.acquire('a', false, () => {}, never);
    await expect(Promise.race([gate.acquire('b', false, () => {}, never).then(() => 'in'), new Promise((r) => setTimeout(() => r('waiting'), 20))])).resolves.toBe('in');
  });
});
