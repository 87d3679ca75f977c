import type { TriggerReason } from '../api/endpoints.js';

/** Why this commit triggered (or skipped) each service. */
export function TriggerList({ triggers }: { triggers: readonly TriggerReason[] }) {
  if (triggers.length === 0) return <p className="empty">No service filters apply to this run.</p>;
  return (
    <ul className="trigger-list">
      {triggers.map((t) => (
        <li key={t.service} data-testid="trigger" data-service={t.service} data-triggered={String(t.triggered)} className={t.triggered ? 'triggered' : 'skipped'}>
          <span className="trigger-mark" aria-hidden="true">
            {t.triggered ? '●' : '○'}
          </span>
          <strong>{t.service}</strong>
          <span className="muted">{t.triggered ? 'triggered' : 'skipped'}</span>
          <span className="trigger-reason">{t.reason}</span>
        </li>
      ))}
    </ul>
  );
}
