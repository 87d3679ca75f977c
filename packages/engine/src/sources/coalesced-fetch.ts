import type { SourceProvider, SourceRef } from '@slipway/core';

/** Fetches a project's branch into its mirror and returns the head. */
export type FetchLatest = (ref: SourceRef) => Promise<string>;

/**
 * Coalesces fetches per project: at most one runs and at most one waits. A caller that arrives while a fetch runs
 * joins the waiting one, which starts when the running one ends and so sees everything pushed before the caller came.
 * A burst of webhooks and polls for one project thus costs two fetches, not one per request.
 */
export function createFetchCoalescer(source: SourceProvider): FetchLatest {
  const slots = new Map<string, { running: Promise<string>; waiting?: Promise<string> }>();
  return (ref) => {
    const key = ref.projectId;
    const current = slots.get(key);
    const start = (slot: { running: Promise<string>; waiting?: Promise<string> }) =>
      source.fetch(ref).finally(() => {
        if (slots.get(key) === slot && !slot.waiting) slots.delete(key);
      });
    if (!current) {
      const slot = {} as { running: Promise<string>; waiting?: Promise<string> };
      slot.running = start(slot);
      slots.set(key, slot);
      return slot.running;
    }
    current.waiting ??= current.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        current.running = current.waiting!;
        current.waiting = undefined;
        return start(current);
      });
    return current.waiting;
  };
}
