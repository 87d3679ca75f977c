import type { Job } from '@slipway/core';
import { span } from '../lib/format.js';
import { StatusBadge } from './status-badge.js';
import { StepRow } from './step-row.js';

export function JobCard({ runId, job, now }: { runId: string; job: Job; now: number }) {
  return (
    <section className="panel job" data-testid="job" data-job={job.name} data-status={job.status}>
      <header className="panel-head">
        <h3>{job.name}</h3>
        <StatusBadge status={job.status} />
        {job.needs.length > 0 && <span className="muted small">needs {job.needs.join(', ')}</span>}
        <span className="spacer" />
        <span className="mono muted small">{span(job.startedAt, job.finishedAt, now)}</span>
      </header>
      <ol className="steps">
        {[...job.steps]
          .sort((a, b) => a.index - b.index)
          .map((s) => (
            <StepRow key={s.id} runId={runId} step={s} now={now} />
          ))}
      </ol>
    </section>
  );
}
