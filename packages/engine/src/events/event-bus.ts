import type { NewEvent, SlipwayEvent, Store } from '@slipway/core';

export type EventListener = (event: SlipwayEvent) => void;

/** Appends events to the store's log and fans them out to live listeners (SSE streams, metrics). */
export interface EventBus {
  emit(event: NewEvent): Promise<SlipwayEvent>;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(store: Store): EventBus {
  const listeners = new Set<EventListener>();
  return {
    async emit(event) {
      const saved = await store.appendEvent(event);
      for (const l of listeners) {
        try {
          l(saved);
        } catch {
          // A broken listener must not break the flow that emitted the event.
        }
      }
      return saved;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
