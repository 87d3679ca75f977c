import type { LogLine, Store } from '@slipway/core';

/**
 * Buffers a run's log lines and writes them in batches, so that a chatty step does not cost one database write per line.
 * Text arrives masked already: the runner masks every line before it reports it.
 */
export function createLogSink(store: Store, runId: string, flushMs = 100) {
  let buffer: Omit<LogLine, 'seq'>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length > 0) writing = writing.then(() => store.appendLogs(batch)).catch(() => {});
    return writing;
  };
  return {
    write(line: Omit<LogLine, 'seq' | 'runId' | 'ts'>) {
      buffer.push({ ...line, runId, ts: new Date().toISOString() });
      if (buffer.length >= 200) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), flushMs);
    },
    flush,
  };
}

export type LogSink = ReturnType<typeof createLogSink>;
