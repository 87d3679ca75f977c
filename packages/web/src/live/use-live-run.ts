import type { RunStatus } from '@slipway/core';
import { useState } from 'react';
import { api } from '../api/endpoints.js';
import { useLiveResource } from './use-live-resource.js';
import { useRunLogs } from './use-run-logs.js';

/** Not @slipway/core's isFinished: a value import from the core would pull its schemas into the dashboard bundle. */
const isFinished = (s: RunStatus) => s === 'succeeded' || s === 'failed' || s === 'cancelled';

/**
 * A run and its log, live: refreshed by the run's events, by new log lines, and by a slow poll while it runs (step
 * changes emit no events of their own). The log follows the run's current attempt.
 */
export function useLiveRun(runId: string) {
  const [running, setRunning] = useState(true);
  const run = useLiveResource(`run:${runId}`, (signal) => api.run(runId, { signal }), {
    touches: (e) => e.subject === `run:${runId}`,
    pollMs: running ? 2000 : 0,
  });
  const detail = run.data;
  const logs = useRunLogs(runId, detail?.attempt, run.reload);
  if (detail && running === isFinished(detail.status)) setRunning(!isFinished(detail.status));
  return { run, detail, logs };
}
