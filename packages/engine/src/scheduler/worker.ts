import { randomUUID } from 'node:crypto';
import { SlipwayError, toSlipwayError, type QueueItem, type Store } from '@slipway/core';
import type { Logger } from '../logger.js';

/** Thrown by a handler to put its item back for later without counting an attempt (e.g. a run waiting for its concurrency group). */
export class DeferItem extends Error {
  constructor(readonly delayMs: number) {
    super(`deferred for ${delayMs} ms`);
  }
}

/** A job handler. It must honour the signal: it aborts when the lease is lost or the worker stops. */
export type JobHandler = (item: QueueItem, signal: AbortSignal) => Promise<void>;

export interface WorkerOptions {
  store: Store;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /**
   * Job kinds claimed first, and the only ones the last `reservedSlots` slots take: the control plane (noticing a
   * commit, queueing its runs, releasing, reconciling) stays prompt while long CI runs fill the other slots.
   */
  priorityKinds?: string[];
  reservedSlots?: number;
  /** Delay before retrying a failed job, by attempt number. */
  backoffMs?: (attempt: number) => number;
}

export interface Worker {
  readonly owner: string;
  start(): void;
  /** Claims new work now instead of waiting for the next poll. */
  wake(): void;
  /** Stops claiming, aborts running jobs and waits for them to settle. */
  stop(): Promise<void>;
}

/**
 * The durable scheduler's worker: jobs are rows; a claim carries a lease that heartbeats extend. A lost lease aborts the job.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { store, handlers, logger } = options;
  const owner = `worker-${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 500;
  const backoff = options.backoffMs ?? ((n: number) => Math.min(30_000, 1000 * 2 ** (n - 1)));
  const running = new Map<string, { kind: string; controller: AbortController; done: Promise<void> }>();
  const priority = new Set((options.priorityKinds ?? []).filter((k) => handlers[k]));
  const others = Object.keys(handlers).filter((k) => !priority.has(k));
  const reserved = Math.min(options.reservedSlots ?? 0, concurrency - 1);
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let pumping = false;
  let pumped: Promise<void> = Promise.resolve();

  const runOne = async (item: QueueItem) => {
    const controller = new AbortController();
    const handler = handlers[item.kind];
    const started = Date.now();
    const heartbeat = setInterval(() => {
      store.heartbeat(item.id, owner, leaseMs).then(
        (held) => {
          if (!held) controller.abort(new SlipwayError('SLW_LEASE_LOST', `lease on ${item.kind} ${item.id} was lost`));
        },
        () => {},
      );
    }, Math.max(250, leaseMs / 3));
    heartbeat.unref();
    const done = (async () => {
      try {
        if (!handler) throw new SlipwayError('SLW_INTERNAL', `no handler for job kind "${item.kind}"`);
        await handler(item, controller.signal);
        await store.complete(item.id, owner);
        logger.info({ job: item.id, kind: item.kind, attempt: item.attempts, ms: Date.now() - started }, 'job done');
      } catch (err) {
        if (err instanceof DeferItem) {
          await store.defer(item.id, owner, err.delayMs).catch(() => {});
          return;
        }
        const e = toSlipwayError(err);
        logger.warn({ job: item.id, kind: item.kind, attempt: item.attempts, code: e.code, ms: Date.now() - started }, `job failed: ${e.message}`);
        if (!stopped || e.code !== 'SLW_LEASE_LOST') await store.fail(item.id, owner, { error: e.format(), retryAfterMs: backoff(item.attempts) }).catch(() => {});
      } finally {
        clearInterval(heartbeat);
        running.delete(item.id);
        if (!stopped) pump();
      }
    })();
    running.set(item.id, { kind: item.kind, controller, done });
  };

  const pump = () => {
    if (stopped || pumping) return;
    pumping = true;
    pumped = (async () => {
      try {
        while (!stopped && running.size < concurrency) {
          const background = [...running.values()].filter((r) => !priority.has(r.kind)).length;
          const item =
            (priority.size > 0 ? await store.claim({ owner, leaseMs, kinds: [...priority] }) : undefined) ??
            (background < concurrency - reserved ? await store.claim({ owner, leaseMs, kinds: others }) : undefined);
          if (!item) break;
          // stop() ran while the claim was in flight: do not start the job; leave it leased, as stop() leaves the jobs
          // it aborts, so that it is claimed again once the lease expires.
          if (stopped) break;
          await runOne(item);
        }
      } catch (err) {
        logger.error({ owner }, `claim failed: ${toSlipwayError(err).message}`);
      } finally {
        pumping = false;
      }
    })();
  };

  return {
    owner,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(pump, pollMs);
      timer.unref();
      pump();
    },
    wake: () => pump(),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const r of running.values()) r.controller.abort(new SlipwayError('SLW_LEASE_LOST', 'worker stopping'));
      await Promise.allSettled([pumped, ...[...running.values()].map((r) => r.done)]);
    },
  };
}
