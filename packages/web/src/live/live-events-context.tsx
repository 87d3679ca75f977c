import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { EventListener, EventStream, EventStreamState } from './event-stream.js';

const LiveEventsContext = createContext<EventStream | null>(null);

/** Starts the event stream while mounted and hands it to the pages below. */
export function LiveEventsProvider({ stream, children }: { stream: EventStream; children: ReactNode }) {
  useEffect(() => {
    stream.start();
    return () => stream.stop();
  }, [stream]);
  return <LiveEventsContext.Provider value={stream}>{children}</LiveEventsContext.Provider>;
}

function useStream(): EventStream {
  const stream = useContext(LiveEventsContext);
  if (!stream) throw new Error('useLiveEvents needs a LiveEventsProvider');
  return stream;
}

/** The newest events and the connection state; re-renders on every new event. */
export function useLiveEvents(): EventStreamState {
  const stream = useStream();
  return useSyncExternalStore(stream.onChange, stream.get);
}

/** Calls listener for each new event (and with null after a gap) without re-rendering the component. */
export function useEventSubscription(listener: EventListener): void {
  const stream = useStream();
  useEffect(() => stream.subscribe(listener), [stream, listener]);
}
