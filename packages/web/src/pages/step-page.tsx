import type { Job, Step } from '@slipway/core';
import { useMemo, useState, type ReactNode } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import { LogView } from '../components/log-view.js';
import { StatusBadge } from '../components/status-badge.js';
import { useLiveRun } from '../live/use-live-run.js';
import { clockTime, dateTime, span } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useNow } from '../lib/use-now.js';

const noNames: ReadonlyMap<string, string> = new Map();

/** One step of a run: its job, status, when it was queued, started and finished, and only its log lines, live. */
export function StepPage({ runId, stepId }: { runId: string; stepId: string }) {
  const [showEarlier, setShowEarlier] = useState(false);
  const { run, detail, logs } = useLiveRun(runId);
  const now = useNow();

  const found = useMemo(() => {
    for (const job of detail?.jobs ?? []) {
      const step = job.steps.find((s) => s.id === stepId);
      if (step) return { job, step };
    }
    return undefined;
  }, [detail, stepId]);
  // A re-run reuses the step's row and re-queues it, so its lines from earlier attempts predate queuedAt.
  const queuedAt = found?.step.queuedAt ? Date.parse(found.step.queuedAt) : 0;
  const { current, earlier } = useMemo(() => {
    const own = logs.lines.filter((l) => l.stepId === stepId);
    return { current: own.filter((l) => Date.parse(l.ts) >= queuedAt), earlier: own.filter((l) => Date.parse(l.ts) < queuedAt) };
  }, [logs.lines, stepId, queuedAt]);
  const lines = showEarlier ? [...earlier, ...current] : current;
  // The run's stream ends with the run, but a finished step has written its lines already.
  const ended = logs.ended || (found?.step.finishedAt ?? null) !== null;

  return (
    <div className="page" data-testid="step-page" data-run-id={runId} data-step-id={stepId} data-status={found?.step.status ?? ''}>
      <p className="crumbs">
        <a href={href({ page: 'runs' })}>Runs</a> /{' '}
        <a href={href({ page: 'run', runId })} data-testid="step-run-link">
          {detail ? `#${detail.number} ${detail.workflowName}` : 'run'}
        </a>
        {found && ` / ${found.job.name}`}
      </p>
      {run.error && <ErrorPanel error={run.error} />}
      {detail && !found && (
        <p className="empty panel">
          This step is not part of attempt {detail.attempt} of the run; a re-run replaces the steps of the jobs it runs again. <a href={href({ page: 'run', runId })}>Open the run</a>.
        </p>
      )}
      {found && <StepHead job={found.job} step={found.step} attempt={detail!.attempt} now={now} />}
      {found && (
        <section className="logs">
          <header className="logs-head">
            <h2>Log</h2>
            <span className="muted small">{lines.length} lines</span>
            {earlier.length > 0 && (
              <button type="button" className="link-button" onClick={() => setShowEarlier(!showEarlier)} data-testid="step-earlier-attempts" aria-pressed={showEarlier}>
                {showEarlier ? 'hide' : 'show'} {earlier.length} lines from earlier attempts
              </button>
            )}
            <span className="spacer" />
            <span className="muted small">{ended ? 'finished' : 'live'}</span>
          </header>
          <LogView lines={lines} stepNames={noNames} ended={ended} />
        </section>
      )}
      {run.loading && !detail && !run.error && <p className="muted">Loading…</p>}
    </div>
  );
}

function StepHead({ job, step, attempt, now }: { job: Job; step: Step; attempt: number; now: number }) {
  // Waiting ends when the step starts; a step that never started (skipped, cancelled) waited until it finished.
  const waitEnd = step.startedAt ?? step.finishedAt;
  return (
    <>
      <header className="run-head">
        <h1>{step.name}</h1>
        <StatusBadge status={step.status} />
        {step.exitCode !== null && <span className="muted">exit {step.exitCode}</span>}
      </header>
      <dl className="facts">
        <Fact name="job" label="Job">
          {job.name} · step {step.index + 1} · attempt {attempt}
        </Fact>
        <Fact name="queued" label="Queued" title={step.queuedAt}>
          {step.queuedAt ? clockTime(step.queuedAt) : '—'}
        </Fact>
        <Fact name="started" label="Started" title={step.startedAt}>
          {step.startedAt ? clockTime(step.startedAt) : '—'}
        </Fact>
        <Fact name="finished" label="Finished" title={step.finishedAt}>
          {step.finishedAt ? clockTime(step.finishedAt) : '—'}
        </Fact>
        <Fact name="queued-wait" label="Queued wait" mono>
          {step.queuedAt ? span(step.queuedAt, waitEnd, now) : '—'}
        </Fact>
        <Fact name="run-time" label="Run time" mono>
          {span(step.startedAt, step.finishedAt, now)}
        </Fact>
      </dl>
    </>
  );
}

function Fact({ name, label, title, mono = false, children }: { name: string; label: string; title?: string | null; mono?: boolean; children: ReactNode }) {
  return (
    <div data-testid="step-fact" data-fact={name}>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} title={title ? dateTime(title) : undefined}>
        {children}
      </dd>
    </div>
  );
}
