import { toSlipwayError, type Project, type SlipwayEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';

const drainMs = 2000;

/** A subscriber that acts on some events of the bus for their project (posts to a git host, notifications). */
export interface ProjectSubscriber {
  start(): void;
  /** Stops listening, gives the work in flight a short grace, then cuts retries short and waits for it. */
  stop(): Promise<void>;
}

/**
 * Work that event subscribers do off the bus: `wants` picks the events, `handle` acts on each with its project. The
 * listener only queues the work, so a slow or failing remote never holds up what emitted the event; work is serialized
 * per project, so that it stays in order. `stopping` aborts when stop() gives up waiting (it cuts retries short).
 */
export function createProjectSubscriber(
  ctx: Pick<EngineContext, 'store' | 'bus' | 'logger'>,
  what: string,
  wants: (event: SlipwayEvent) => boolean,
  handle: (event: SlipwayEvent, project: Project) => Promise<void>,
  stopping: AbortController,
): ProjectSubscriber {
  const chains = new Map<string, Promise<void>>();
  let unsubscribe: (() => void) | undefined;
  const add = (projectId: string, work: () => Promise<void>) => {
    const next = (chains.get(projectId) ?? Promise.resolve()).then(work).catch((err: unknown) => ctx.logger.error({ projectId, err: toSlipwayError(err).format() }, `${what} failed unexpectedly`));
    chains.set(projectId, next);
    void next.then(() => {
      if (chains.get(projectId) === next) chains.delete(projectId);
    });
  };
  return {
    start() {
      unsubscribe = ctx.bus.subscribe((event) => {
        if (!event.projectId || stopping.signal.aborted || !wants(event)) return;
        const projectId = event.projectId;
        add(projectId, async () => {
          const project = await ctx.store.getProject(projectId);
          if (project) await handle(event, project);
        });
      });
    },
    async stop() {
      unsubscribe?.();
      await Promise.race([Promise.all([...chains.values()]), new Promise((r) => setTimeout(r, drainMs).unref())]);
      stopping.abort();
      await Promise.all([...chains.values()]);
    },
  };
}
