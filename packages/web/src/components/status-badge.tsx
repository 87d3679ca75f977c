import { statusTone, type AnyStatus } from '../lib/tones.js';
import { Badge } from './badge.js';

/** A run, job, step or deployment status. */
export function StatusBadge({ status }: { status: AnyStatus }) {
  return (
    <Badge tone={statusTone[status]}>
      {status === 'running' || status === 'progressing' ? <span className="spinner" aria-hidden="true" /> : <span className="dot" aria-hidden="true" />}
      {status}
    </Badge>
  );
}
