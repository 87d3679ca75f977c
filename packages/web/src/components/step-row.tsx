import type { Step } from '@slipway/core';
import { span } from '../lib/format.js';
import { href } from '../lib/route.js';
import { StatusBadge } from './status-badge.js';

/** A step of a job; it links to the step's own page with its timings and log lines. */
export function StepRow({ runId, step, now }: { runId: string; step: Step; now: number }) {
  return (
    <li data-testid="step" data-status={step.status} data-step={step.name} data-step-id={step.id} className="step">
      <a className="step-button" href={href({ page: 'step', runId, stepId: step.id })} title="Open the step: its timings and log lines">
        <StatusBadge status={step.status} />
        <span className="step-name">{step.name}</span>
        {step.exitCode !== null && step.exitCode !== 0 && <span className="muted small">exit {step.exitCode}</span>}
        <span className="mono muted step-time">{span(step.startedAt, step.finishedAt, now)}</span>
      </a>
    </li>
  );
}
