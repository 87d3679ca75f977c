import { describe, expect, it } from 'vitest';
import { GitHostError } from '@slipway/core';
import { withRetry } from './retry.js';

const policy = { attempts: 3, baseDelayMs: 1 };

describe('withRetry', () => {
  it.each([
    ['a server error, then success', [500], 2, 'ok'],
    ['no answer twice, then success', [null, null], 3, 'ok'],
    ['a rate limit', [429], 2, 'ok'],
  ])('retries %s', async (_what, failures, calls, result) => {
    let n = 0;
    const value = await withRetry(async () => {
      const status = failures[n++];
      if (status !== undefined) throw new GitHostError('x', status);
      return 'ok';
    }, policy, new AbortController().signal);
    expect(value).toBe(result);
    expect(n).toBe(calls);
  });

  it.each([
    ['a 401', 401, 1],
    ['a 422', 422, 1],
    ['a 500 every time', 500, 3],
  ])('gives up on %s', async (_what, status, calls) => {
    let n = 0;
    await expect(withRetry(async () => {
      n++;
      throw new GitHostError('x', status);
    }, policy, new AbortController().signal)).rejects.toMatchObject({ status, attempts: calls });
    expect(n).toBe(calls);
  });

  it('stops retrying once aborted', async () => {
    const ac = new AbortController();
    let n = 0;
    await expect(withRetry(async () => {
      n++;
      ac.abort();
      throw new GitHostError('x', 503);
    }, { attempts: 5, baseDelayMs: 10_000 }, ac.signal)).rejects.toMatchObject({ attempts: 1 });
    expect(n).toBe(1);
  });
});
