import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { ErrorPanel } from '../components/error-panel.js';
import { Badge } from '../components/badge.js';
import { promotionTone } from '../lib/tones.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { dateTime } from '../lib/format.js';
import { href } from '../lib/route.js';

const pageSize = 25;

/** Every promotion and rollback, newest first, a page at a time from the server; the history is never capped. */
export function HistoryPage({ offset }: { offset: number }) {
  const promotions = useLiveResource(`promotions:${offset}`, (signal) => api.promotions({ limit: pageSize + 1, offset }, { signal }), { touches: touchesKinds('promotion.') });
  const status = useLiveResource('status', (signal) => api.status({ signal }), { touches: touchesKinds('project.') });
  const releases = useLiveResource('releases', (signal) => api.releases({ limit: 500 }, { signal }), { touches: touchesKinds('release.') });
  const envName = useMemo(() => new Map((status.data?.projects ?? []).flatMap((p) => p.environments.map((e) => [e.id, `${p.project.name} / ${e.name}`] as const))), [status.data]);
  const version = useMemo(() => new Map((releases.data ?? []).map((r) => [r.id, r.version])), [releases.data]);
  const rows = (promotions.data ?? []).slice(0, pageSize);
  const more = (promotions.data ?? []).length > pageSize;
  return (
    <div className="page" data-testid="history-page">
      <h1>History</h1>
      {promotions.error && <ErrorPanel error={promotions.error} />}
      <div className="panel">
        <table className="table history">
          <thead>
            <tr>
              <th>Asked</th>
              <th>Release</th>
              <th>Environment</th>
              <th>Kind</th>
              <th>Phase</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid="history-row" data-phase={p.phase}>
                <td className="nowrap">
                  <a href={href({ page: 'promotion', promotionId: p.id })}>{dateTime(p.createdAt)}</a>
                </td>
                <td className="mono">v{version.get(p.releaseId) ?? '?'}</td>
                <td>{envName.get(p.environmentId) ?? '?'}</td>
                <td>{p.kind}</td>
                <td>
                  <Badge tone={promotionTone[p.phase]}>{p.phase}</Badge>
                </td>
                <td className="small">{p.phase === 'pending' ? p.gates.filter((g) => !g.passed).map((g) => g.detail).join('; ') || p.reason : p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <footer className="panel-foot pager">
          {offset > 0 && (
            <a className="button" href={href({ page: 'history', offset: Math.max(0, offset - pageSize) })} data-testid="newer">
              ← Newer
            </a>
          )}
          <span className="muted small">
            {rows.length ? `${offset + 1}–${offset + rows.length}` : 'none'}
          </span>
          {more && (
            <a className="button" href={href({ page: 'history', offset: offset + pageSize })} data-testid="older">
              Older →
            </a>
          )}
        </footer>
      </div>
    </div>
  );
}
