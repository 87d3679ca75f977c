import type { RunDetail } from '@slipway/core';
import { api } from '../api/endpoints.js';
import { ActionButton } from './action-button.js';

/** Cancel a queued or running run; re-run a finished one, all jobs or only the failed ones. */
export function RunActions({ run, onDone }: { run: RunDetail; onDone: () => void }) {
  const active = run.status === 'queued' || run.status === 'running';
  const anyFailed = run.status === 'failed' || run.jobs.some((j) => j.status === 'failed');
  const next = run.attempt + 1;
  return (
    <div className="run-actions">
      {active && <ActionButton label="Cancel" testId="cancel-run" confirm={`Cancel run #${run.number}? Its steps stop.`} action={() => api.cancelRun(run.id).finally(onDone)} />}
      {!active && (
        <ActionButton label="Re-run all jobs" testId="rerun-all" confirm={`Re-run every job of run #${run.number} as attempt ${next}?`} action={() => api.rerunRun(run.id, false).finally(onDone)} />
      )}
      {!active && anyFailed && (
        <ActionButton
          label="Re-run failed jobs"
          testId="rerun-failed"
          confirm={`Re-run the failed jobs of run #${run.number} as attempt ${next}? Jobs that succeeded keep their outputs.`}
          action={() => api.rerunRun(run.id, true).finally(onDone)}
        />
      )}
    </div>
  );
}
