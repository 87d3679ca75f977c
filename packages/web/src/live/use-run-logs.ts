import type { LogLine } from '@slipway/core';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { auth, withAccessToken } from '../api/auth.js';
import { api } from '../api/endpoints.js';

export interface RunLogs {
  lines: readonly LogLine[];
  /** True once the server said the run is finished and every line has arrived. */
  ended: boolean;
}

const retryMs = 3000;

/**
 * The log lines of a run, live: loads what exists, then follows the SSE stream from the last seq (the browser
 * resumes with Last-Event-ID on reconnects) until the `end` event. Lines are de-duplicated by seq and flushed
 * to React once per animation frame, so a chatty step does not re-render per line.
 *
 * A re-run streams again from the start when `attempt` changes (the stream of the last attempt has ended); nothing
 * loads while the attempt is not known yet.
 */
export function useRunLogs(runId: string, attempt: number | undefined, onLines?: () => void): RunLogs {
  const key = `${runId}#${attempt ?? ''}`;
  const [state, setState] = useState<RunLogs & { key: string }>({ key, lines: [], ended: false });
  const authVersion = useSyncExternalStore(auth.subscribe, () => auth.get().version);
  const onLinesRef = useRef(onLines);
  onLinesRef.current = onLines;

  useEffect(() => {
    if (attempt === undefined) return;
    let lastSeq = 0;
    let pending: LogLine[] = [];
    let frame = 0;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const abort = new AbortController();
    setState({ key, lines: [], ended: false });

    const flush = () => {
      frame = 0;
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      setState((s) => ({ ...s, lines: [...s.lines, ...batch] }));
      onLinesRef.current?.();
    };
    const add = (lines: readonly LogLine[]) => {
      for (const l of [...lines].sort((a, b) => a.seq - b.seq)) {
        if (l.seq <= lastSeq) continue;
        lastSeq = l.seq;
        pending.push(l);
      }
      if (pending.length > 0 && frame === 0) frame = requestAnimationFrame(flush);
    };
    const fetchMissing = async () => {
      try {
        add(await api.runLogs(runId, lastSeq, { signal: abort.signal }));
      } catch {
        // The stream (or the next retry) fills the gap.
      }
    };
    const connect = () => {
      if (stopped) return;
      const es = new EventSource(withAccessToken(`/api/runs/${encodeURIComponent(runId)}/logs?afterSeq=${lastSeq}`));
      source = es;
      es.onmessage = (msg: MessageEvent<string>) => {
        try {
          add([JSON.parse(msg.data) as LogLine]);
        } catch {
          // Skip a malformed line rather than stop the stream.
        }
      };
      es.addEventListener('end', () => {
        es.close();
        void fetchMissing().then(() => {
          if (stopped) return;
          flush();
          setState((s) => ({ ...s, ended: true }));
          onLinesRef.current?.();
        });
      });
      es.onerror = () => {
        if (es.readyState !== EventSource.CLOSED) return; // The browser reconnects by itself.
        void fetchMissing();
        retry = setTimeout(connect, retryMs);
      };
    };

    void fetchMissing().then(connect);
    return () => {
      stopped = true;
      abort.abort();
      source?.close();
      clearTimeout(retry);
      cancelAnimationFrame(frame);
    };
  }, [runId, attempt, key, authVersion]);

  return state.key === key ? state : { lines: [], ended: false };
}
