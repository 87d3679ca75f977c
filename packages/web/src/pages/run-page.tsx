import { useMemo, useState } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import { JobCard } from '../components/job-card.js';
import { JobGraph } from '../components/job-graph.js';
import { LogView } from '../components/log-view.js';
import { RunActions } from '../components/run-actions.js';
import { StatusBadge } from '../components/status-badge.js';
import { TriggerList } from '../components/trigger-list.js';
import { useLiveRun } from '../live/use-live-run.js';
import { age, dateTime, shortSha, span } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useNow } from '../lib/use-now.js';

/** One run: why it ran, its job graph, its jobs and steps, its log as it is written, and cancel and re-run. */
export function RunPage({ runId }: { runId: string }) {
  const [selectedJob, setSelectedJob] = useState<string | null>(null);
  const { run, detail, logs } = useLiveRun(runId);
  const now = useNow();

  const stepNames = useMemo(() => {
    const jobs = detail?.jobs ?? [];
    const qualify = jobs.length > 1; // Name the job too when steps of several jobs interleave.
    return new Map(jobs.flatMap((j) => j.steps.map((s) => [s.id, qualify ? `${j.name} › ${s.name}` : s.name] as const)));
  }, [detail]);
  // A re-run replaces the jobs: a selection that no longer exists selects nothing.
  const job = detail?.jobs.find((j) => j.id === selectedJob);
  const jobs = job ? [job] : (detail?.jobs ?? []);
  const lines = useMemo(() => (job ? logs.lines.filter((l) => l.jobId === job.id) : logs.lines), [logs.lines, job]);

  return (
    <div className="page" data-testid="run-page" data-run-id={runId} data-status={detail?.status ?? ''} data-attempt={detail?.attempt ?? ''}>
      <p className="crumbs">
        <a href={href({ page: 'runs' })}>← Runs</a>
      </p>
      {run.error && <ErrorPanel error={run.error} />}
      {detail && (
        <>
          <header className="run-head">
            <h1>
              #{detail.number} {detail.workflowName}
            </h1>
            <StatusBadge status={detail.status} />
            <span className="muted" data-testid="run-attempt">
              attempt {detail.attempt}
            </span>
            <span className="spacer" />
            <RunActions run={detail} onDone={run.reload} />
          </header>
          <dl className="facts">
            <div>
              <dt>Commit</dt>
              <dd className="mono">{shortSha(detail.commitSha)}</dd>
            </div>
            <div>
              <dt>Branch</dt>
              <dd>{detail.branch}</dd>
            </div>
            <div>
              <dt>Trigger</dt>
              <dd>
                {detail.trigger}
              </dd>
            </div>
            <div>
              <dt>Workflow</dt>
              <dd className="mono">{detail.workflow}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd className="mono">{span(detail.startedAt, detail.finishedAt, now)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd title={dateTime(detail.createdAt)}>{age(detail.createdAt, now)}</dd>
            </div>
          </dl>
          {detail.error && <div className="run-error" role="alert">{detail.error}</div>}

          <section className="panel">
            <header className="panel-head">
              <h2>Services</h2>
              <span className="muted small">what this commit changed, per service</span>
            </header>
            <TriggerList triggers={detail.triggers} />
          </section>

          <section className="panel">
            <header className="panel-head">
              <h2>Jobs</h2>
              <span className="muted small">{job ? `${job.name} selected · click it again to show every job` : 'click a job to show only its steps and log'}</span>
            </header>
            <JobGraph jobs={detail.jobs} now={now} selected={job?.id ?? null} onSelect={setSelectedJob} />
          </section>

          <div className="run-body">
            <div className="jobs">
              {jobs.length === 0 && <p className="empty panel">No jobs yet.</p>}
              {jobs.map((j) => (
                <JobCard key={j.id} runId={runId} job={j} now={now} />
              ))}
            </div>
            <section className="logs">
              <header className="logs-head">
                <h2>Log</h2>
                {job && (
                  <button type="button" className="link-button" onClick={() => setSelectedJob(null)}>
                    {job.name} only · show all
                  </button>
                )}
                <span className="spacer" />
                <span className="muted small">{logs.ended ? 'finished' : 'live'}</span>
              </header>
              <LogView lines={lines} stepNames={stepNames} ended={logs.ended} />
            </section>
          </div>
        </>
      )}
      {run.loading && !detail && !run.error && <p className="muted">Loading…</p>}
    </div>
  );
}
