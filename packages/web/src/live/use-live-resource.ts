import type { SlipwayEvent } from '@slipway/core';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { auth } from '../api/auth.js';
import { ApiError } from '../api/client.js';
import { useEventSubscription } from './live-events-context.js';

export interface LiveResource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export interface LiveResourceOptions {
  /** Which events make this data stale; it is refetched 200 ms after the first of a burst. */
  touches?: (event: SlipwayEvent) => boolean;
  /** A safety-net poll interval; 0 or undefined for none. */
  pollMs?: number;
}

const debounceMs = 200;

/**
 * Loads data and keeps it fresh: refetches when a touching event arrives (coalescing bursts, never two requests at
 * once), after a stream gap, when the token changes and on an optional poll. Old data stays on screen while
 * reloading, so pages do not flicker.
 */
export function useLiveResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>, options: LiveResourceOptions = {}): LiveResource<T> {
  const [data, setData] = useState<{ key: string; value: T }>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const authVersion = useSyncExternalStore(auth.subscribe, () => auth.get().version);

  // The latest load/touches without resubscribing on every render.
  const loadRef = useRef(load);
  loadRef.current = load;
  const touchesRef = useRef(options.touches);
  touchesRef.current = options.touches;

  const control = useRef({ inFlight: false, again: false, timer: undefined as ReturnType<typeof setTimeout> | undefined, abort: new AbortController() });

  const run = useCallback(() => {
    const c = control.current;
    if (c.inFlight) {
      c.again = true;
      return;
    }
    c.inFlight = true;
    const { signal } = c.abort;
    loadRef
      .current(signal)
      .then(
        (value) => {
          if (signal.aborted) return;
          setData({ key, value });
          setError(undefined);
        },
        (e: unknown) => {
          if (signal.aborted) return;
          setError(e instanceof ApiError ? e : new ApiError(0, 'SLW_INTERNAL', String(e), 'This is a dashboard bug; the browser console has details.'));
        },
      )
      .finally(() => {
        if (signal.aborted) return;
        c.inFlight = false;
        setLoading(false);
        if (c.again) {
          c.again = false;
          run();
        }
      });
  }, [key]);

  const schedule = useCallback(() => {
    const c = control.current;
    if (c.timer !== undefined) return;
    c.timer = setTimeout(() => {
      c.timer = undefined;
      run();
    }, debounceMs);
  }, [run]);

  useEffect(() => {
    const c = control.current;
    c.abort = new AbortController();
    c.inFlight = false;
    c.again = false;
    setLoading(true);
    run();
    return () => {
      c.abort.abort();
      clearTimeout(c.timer);
      c.timer = undefined;
    };
  }, [run, authVersion]);

  useEffect(() => {
    if (!options.pollMs) return;
    const id = setInterval(schedule, options.pollMs);
    return () => clearInterval(id);
  }, [schedule, options.pollMs]);

  useEventSubscription(
    useCallback(
      (event: SlipwayEvent | null) => {
        if (event === null || touchesRef.current?.(event)) schedule();
      },
      [schedule],
    ),
  );

  return { data: data?.key === key ? data.value : undefined, error, loading, reload: schedule };
}

/** An event-kind matcher: touchesKinds('run.', 'commit.') matches run.* and commit.* events. */
export function touchesKinds(...prefixes: string[]): (event: SlipwayEvent) => boolean {
  return (event) => prefixes.some((p) => event.kind.startsWith(p));
}
