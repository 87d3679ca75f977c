import { toSlipwayError } from '@slipway/core';

export interface RetryPolicy {
  attempts: number;
  /** Delay before attempt n+1 is baseDelayMs × 4^(n-1). */
  baseDelayMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 3, baseDelayMs: 500 };

/**
 * Calls `fn` until it succeeds, it fails in a way another try will not fix (an error with `transient: false`, such as a
 * 4xx from a git host or a chat webhook), the attempts are
 * used up, or `signal` aborts. Rethrows the last error with the number of attempts made.
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient = (err as { transient?: unknown }).transient !== false;
      if (!transient || attempt >= policy.attempts || signal.aborted) throw Object.assign(err as object, { attempts: attempt });
      await sleep(policy.baseDelayMs * 4 ** (attempt - 1), signal);
    }
  }
}

/**
 * What a call that failed after its retries says: its message with `secret` (a token, a webhook URL) blanked out (the
 * adapters never put it in a message; this is the second lock on that door), the HTTP status if any, and the tries.
 */
export function failureOf(err: unknown, secret: string): { message: string; code: string; httpStatus: number | null; attempts: number } {
  const e = toSlipwayError(err);
  const { status, attempts } = err as { status?: unknown; attempts?: unknown };
  return { message: e.message.split(secret).join('***'), code: e.code, httpStatus: typeof status === 'number' ? status : null, attempts: typeof attempts === 'number' ? attempts : 1 };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
