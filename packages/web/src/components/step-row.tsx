import type { Step } from '@slipway/core';
import { span } from '../lib/format.js';
import { StatusBadge } from './status-badge.js';

/** A step of a job; clicking it shows only that step's log lines. */
export function StepRow({ step, now, selected, onSelect }: { step: Step; now: number; selected: boolean; onSelect: () => void }) {
  return (
    <li data-testid="step" data-status={step.status} data-step={step.name} className={selected ? 'step selected' : 'step'}>
      <button type="button" className="step-button" onClick={onSelect} aria-pressed={selected} title={selected ? 'Show all log lines' : 'Show only this step’s log lines'}>
        <StatusBadge status={step.status} />
        <span className="step-name">{step.name}</span>
        {step.exitCode !== null && step.exitCode !== 0 && <span className="muted small">exit {step.exitCode}</span>}
        <span className="mono muted step-time">{span(step.startedAt, step.finishedAt, now)}</span>
      </button>
    </li>
  );
}
