import { useSyncExternalStore } from 'react';
import { auth } from '../api/auth.js';
import type { Connection } from '../live/event-stream.js';
import { href, type Route } from '../lib/route.js';

const pages = [
  { page: 'overview', label: 'Overview' },
  { page: 'runs', label: 'Runs' },
  { page: 'releases', label: 'Releases' },
  { page: 'rollouts', label: 'Rollouts' },
  { page: 'plan', label: 'Plan' },
  { page: 'history', label: 'History' },
  { page: 'insights', label: 'Insights' },
  { page: 'events', label: 'Events' },
] as const;

const connectionLabel: Record<Connection, string> = { live: 'Live', connecting: 'Connecting…', offline: 'Offline, retrying' };

export function Nav({ route, connection }: { route: Route; connection: Connection }) {
  const token = useSyncExternalStore(auth.subscribe, () => auth.get().token);
  const current = route.page === 'run' || route.page === 'step' ? 'runs' : route.page === 'release' ? 'releases' : route.page;
  return (
    <nav className="nav" aria-label="Main">
      <a className="brand" href="#/">
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
          <path d="M2 12h12L10 4H6z" fill="currentColor" />
        </svg>
        Slipway
      </a>
      <ul>
        {pages.map((p) => (
          <li key={p.page}>
            <a href={href({ page: p.page })} className={current === p.page ? 'active' : undefined} aria-current={current === p.page ? 'page' : undefined} data-testid={`nav-${p.page}`}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
      <div className="nav-foot">
        <span className={`connection ${connection}`} data-testid="connection" data-state={connection}>
          <span className="dot" aria-hidden="true" />
          {connectionLabel[connection]}
        </span>
        {token && (
          <button type="button" className="link-button" onClick={() => auth.setToken(null)}>
            Forget token
          </button>
        )}
      </div>
    </nav>
  );
}
