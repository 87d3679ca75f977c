import { toSlipwayError } from '@slipway/core';
import type { Logger } from '../logger.js';

const drainMs = 2000;

/**
 * Work that event subscribers queue off the bus (posts to a git host, notifications): serialized per project, so that
 * it stays in order, and never awaited by the emitter, so that a slow or failing remote holds nothing up.
 */
export interface ProjectQueue {
  add(projectId: string, work: () => Promise<void>): void;
  /** Gives the work in flight a short grace, then aborts `stopping` (cutting retries short) and waits for it. */
  drain(stopping: AbortController): Promise<void>;
}

export function createProjectQueue(logger: Logger, what: string): ProjectQueue {
  const chains = new Map<string, Promise<void>>();
  return {
    add(projectId, work) {
      const next = (chains.get(projectId) ?? Promise.resolve()).then(work).catch((err: unknown) => logger.error({ projectId, err: toSlipwayError(err).format() }, `${what} failed unexpectedly`));
      chains.set(projectId, next);
      void next.then(() => {
        if (chains.get(projectId) === next) chains.delete(projectId);
      });
    },
    async drain(stopping) {
      await Promise.race([Promise.all([...chains.values()]), new Promise((r) => setTimeout(r, drainMs).unref())]);
      stopping.abort();
      await Promise.all([...chains.values()]);
    },
  };
}
