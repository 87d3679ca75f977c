import type { SlipwayEvent } from '@slipway/core';
import { auth, withAccessToken } from '../api/auth.js';
import { api } from '../api/endpoints.js';

export type Connection = 'connecting' | 'live' | 'offline';

export interface EventStreamState {
  /** The newest events, ascending by seq, at most `keep` of them. */
  events: readonly SlipwayEvent[];
  connection: Connection;
}

/** A listener gets each new event, or null after a gap (reconnect, new token) when anything may have changed. */
export type EventListener = (event: SlipwayEvent | null) => void;

export interface EventStream {
  start(): void;
  stop(): void;
  get(): EventStreamState;
  /** For useSyncExternalStore: called after the state changed. */
  onChange(listener: () => void): () => void;
  /** Called once per event, in seq order. */
  subscribe(listener: EventListener): () => void;
}

const keep = 500;
const retryMs = 3000;

/**
 * The one live connection to GET /api/events (SSE) for the whole dashboard. It loads the newest events first,
 * then streams new ones, and after every (re)connect fetches what it missed with afterSeq so nothing falls in a gap.
 * Events are de-duplicated by seq.
 */
export function createEventStream(): EventStream {
  let state: EventStreamState = { events: [], connection: 'connecting' };
  const changeListeners = new Set<() => void>();
  const eventListeners = new Set<EventListener>();
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let lastSeq = 0;
  let running = false;
  let unsubscribeAuth: (() => void) | undefined;
  let authVersion = auth.get().version;

  function setState(next: Partial<EventStreamState>): void {
    state = { ...state, ...next };
    for (const l of changeListeners) l();
  }

  function notify(event: SlipwayEvent | null): void {
    for (const l of eventListeners) {
      try {
        l(event);
      } catch (e) {
        console.error('event listener failed', e);
      }
    }
  }

  function add(events: readonly SlipwayEvent[]): void {
    const fresh = events.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return;
    lastSeq = fresh[fresh.length - 1]!.seq;
    setState({ events: [...state.events, ...fresh].slice(-keep) });
    for (const e of fresh) notify(e);
  }

  async function catchUp(): Promise<void> {
    try {
      // The first load takes the newest page; later ones everything after the last seq we hold.
      const events = lastSeq === 0 ? await api.events({ newest: true, limit: 200 }) : await api.events({ afterSeq: lastSeq, limit: 1000 });
      add(events);
    } catch {
      // The stream's own error handling reports the connection; a 401 is recorded by the client.
    }
  }

  function connect(): void {
    if (!running) return;
    close();
    setState({ connection: 'connecting' });
    const es = new EventSource(withAccessToken('/api/events'));
    source = es;
    es.onopen = () => {
      setState({ connection: 'live' });
      void catchUp().then(() => notify(null));
    };
    es.onmessage = (msg: MessageEvent<string>) => {
      try {
        add([JSON.parse(msg.data) as SlipwayEvent]);
      } catch {
        // A malformed message is skipped; the next catch-up fills any gap.
      }
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (HTTP error such as 401, or the server went away): retry ourselves.
        setState({ connection: 'offline' });
        // A 401 shows the token form; retrying is pointless until the token changes (the auth listener reconnects).
        void catchUp().then(() => {
          if (running && !auth.get().required) retry = setTimeout(connect, retryMs);
        });
      } else {
        setState({ connection: 'connecting' }); // The browser reconnects on its own, with Last-Event-ID.
      }
    };
  }

  function close(): void {
    clearTimeout(retry);
    source?.close();
    source = null;
  }

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribeAuth = auth.subscribe(() => {
        const { version } = auth.get();
        if (version === authVersion) return;
        authVersion = version;
        connect(); // The token changed: reconnect with it.
      });
      void catchUp();
      connect();
    },
    stop() {
      running = false;
      unsubscribeAuth?.();
      close();
    },
    get: () => state,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };
}
