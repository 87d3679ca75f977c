import { request } from 'node:http';
import type { ExitInfo } from './instance.js';

/** The outcome of one HTTP health probe; `detail` says what went wrong, e.g. `HTTP 500` or `ECONNREFUSED`. */
export type ProbeResult = { ok: true } | { ok: false; detail: string };

/** One `GET http://<host>:<port><path>`; any 2xx answer within `timeoutMs` is healthy. Never rejects. */
export function probeHealth(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    // An overall deadline: the socket timeout alone would not bound a server that trickles bytes.
    const timer = setTimeout(() => settle({ ok: false, detail: `no answer within ${timeoutMs}ms` }), timeoutMs);
    timer.unref();
    const req = request({ host, port, path, method: 'GET', agent: false, headers: { 'user-agent': 'slipway-health-probe' } }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      settle(status >= 200 && status < 300 ? { ok: true } : { ok: false, detail: `HTTP ${status}` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => settle({ ok: false, detail: err.code ?? err.message }));
    req.end();
  });
}

/** Why waiting for health ended; every outcome but `healthy` carries the last probe failure. */
export type WaitOutcome =
  | { status: 'healthy' }
  | { status: 'timeout'; last: string }
  | { status: 'exited'; exit: ExitInfo; last: string }
  | { status: 'aborted'; last: string };

/** Where to probe, how often and for how long. */
export interface WaitForHealthOptions {
  host: string;
  port: number;
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Settles when the instance exits; waiting stops early then. */
  exited: Promise<ExitInfo>;
  signal?: AbortSignal;
}

/** Probes until a 2xx answer, the timeout, the instance's exit or an abort, whichever comes first. */
export async function waitForHealth(options: WaitForHealthOptions): Promise<WaitOutcome> {
  const { signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  // One listener each for exit and abort, shared by every pause, so a long wait does not pile up callbacks.
  const seen: { exit: ExitInfo | null; wake: () => void } = { exit: null, wake: () => {} };
  void options.exited.then((exit) => {
    seen.exit = exit;
    seen.wake();
  });
  const onAbort = () => seen.wake();
  signal?.addEventListener('abort', onAbort, { once: true });
  let last = 'no probe answered yet';
  try {
    for (;;) {
      if (signal?.aborted) return { status: 'aborted', last };
      if (seen.exit) return { status: 'exited', exit: seen.exit, last };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { status: 'timeout', last };
      // A probe squeezed into the last milliseconds would only report its own timeout and hide the real failure,
      // so each probe gets at least 250ms, even if that overshoots the deadline a little.
      const result = await probeHealth(options.host, options.port, options.path, Math.max(250, Math.min(remaining, 2_000)));
      if (result.ok) return { status: 'healthy' };
      last = result.detail;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => seen.wake(), Math.min(options.intervalMs, Math.max(0, deadline - Date.now())));
        timer.unref();
        seen.wake = () => {
          clearTimeout(timer);
          seen.wake = () => {};
          resolve();
        };
        // The instance may have exited (or the signal aborted) while the probe ran.
        if (seen.exit || signal?.aborted) seen.wake();
      });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
