import type { Release } from '@slipway/core';
import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { ActionButton } from '../components/action-button.js';
import { ErrorPanel } from '../components/error-panel.js';
import { Badge } from '../components/badge.js';
import { promotionTone } from '../lib/tones.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { dateTime } from '../lib/format.js';

/** One promotion: its release and environment, each gate with what it found, and who approved. */
export function PromotionPage({ promotionId }: { promotionId: string }) {
  const detail = useLiveResource(`promotion:${promotionId}`, (signal) => api.promotion(promotionId, { signal }), { touches: touchesKinds('promotion.', 'deployment.') });
  const status = useLiveResource('status', (signal) => api.status({ signal }), { touches: touchesKinds('promotion.', 'project.') });
  const releases = useLiveResource('releases', (signal) => api.releases({ limit: 500 }, { signal }), { touches: touchesKinds('release.') });
  const envName = useMemo(() => new Map((status.data?.projects ?? []).flatMap((p) => p.environments.map((e) => [e.id, e.name] as const))), [status.data]);
  const release = useMemo(() => (releases.data ?? []).find((r: Release) => r.id === detail.data?.promotion.releaseId), [releases.data, detail.data]);
  const p = detail.data?.promotion;
  const approvalsWaiting = p?.phase === 'pending' && p.gates.some((g) => g.gate === 'approvals' && !g.passed);
  return (
    <div className="page" data-testid="promotion-page" data-phase={p?.phase}>
      <h1>
        {p ? `${p.kind === 'rollback' ? 'Rollback' : 'Promotion'} of v${release?.version ?? '?'} to ${envName.get(p.environmentId) ?? '?'}` : 'Promotion'}
      </h1>
      {detail.error && <ErrorPanel error={detail.error} />}
      {p && (
        <>
          <section className="panel">
            <header className="panel-head">
              <Badge tone={promotionTone[p.phase]}>{p.phase}</Badge>
              <span className="small">{p.reason}</span>
              <span className="spacer" />
              <span className="muted small">
                asked {dateTime(p.createdAt)}
                {p.finishedAt && ` · ended ${dateTime(p.finishedAt)}`}
                {p.manual && ' · by a person'}
              </span>
            </header>
            <table className="table gates">
              <thead>
                <tr>
                  <th>Gate</th>
                  <th>Result</th>
                  <th>What it found</th>
                </tr>
              </thead>
              <tbody>
                {p.gates.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      Not judged yet.
                    </td>
                  </tr>
                )}
                {p.gates.map((g) => (
                  <tr key={g.gate} data-testid="gate" data-gate={g.gate} data-passed={String(g.passed)}>
                    <td className="mono">{g.gate}</td>
                    <td>{g.passed ? <span className="badge tone-green">passed</span> : p.phase === 'failed' ? <span className="badge tone-red">refused</span> : <span className="badge tone-amber">waiting</span>}</td>
                    <td>
                      {g.detail}
                      {g.retryAt && <span className="muted"> (looked at again {dateTime(g.retryAt)})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {approvalsWaiting && (
              <footer className="panel-foot">
                <ActionButton label="Approve" confirm={`Approve v${release?.version ?? '?'} into ${envName.get(p.environmentId) ?? '?'}?`} action={() => api.approve(p.id).then(detail.reload)} testId="approve" />
              </footer>
            )}
          </section>
          <section className="panel">
            <header className="panel-head">
              <h3>Approvals</h3>
            </header>
            {detail.data!.approvals.length === 0 ? (
              <p className="empty">None.</p>
            ) : (
              <ul className="approvals">
                {detail.data!.approvals.map((a) => (
                  <li key={a.actor} data-testid="approval">
                    <strong>{a.actor}</strong> <span className="muted">({a.role}, {dateTime(a.createdAt)})</span>
                    {a.reason && `: ${a.reason}`}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
