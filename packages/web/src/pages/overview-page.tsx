import type { Release } from '@slipway/core';
import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { EnvironmentCard } from '../components/environment-card.js';
import { ErrorPanel } from '../components/error-panel.js';
import { EventsStrip } from '../components/events-strip.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { shortSha } from '../lib/format.js';

const statusTouches = touchesKinds('deployment.', 'health.', 'promotion.', 'release.', 'drift.', 'project.');

/** Each project's environments side by side, in promotion order, with what runs where and how healthy it is. */
export function OverviewPage() {
  // Events refresh the status within a second; the 5 s poll is a safety net for anything the events miss.
  const status = useLiveResource('status', (signal) => api.status({ signal }), { touches: statusTouches, pollMs: 5000 });
  const releases = useLiveResource('releases', (signal) => api.releases({ limit: 200 }, { signal }), { touches: touchesKinds('release.') });
  const byId = useMemo(() => new Map<string, Release>((releases.data ?? []).map((r) => [r.id, r])), [releases.data]);

  return (
    <div className="page" data-testid="overview-page">
      <h1>Overview</h1>
      {status.error && <ErrorPanel error={status.error} />}
      {status.data?.projects.length === 0 && (
        <p className="empty panel">
          No projects yet. Add one with <code>slipway projects add &lt;repo&gt;</code>.
        </p>
      )}
      {status.data?.projects.map(({ project, environments }) => (
        <section key={project.id} className="project" data-testid="project" data-project={project.name}>
          <header className="project-head">
            <h2>{project.name}</h2>
            <span className="muted small">
              last commit <span className="mono">{shortSha(project.lastCommitSha)}</span>
            </span>
            {project.gitHost && (
              <span className="muted small" data-testid="git-host">
                statuses go to {project.gitHost.kind} <span className="mono">{project.gitHost.repository}</span>
              </span>
            )}
          </header>
          <div className="env-grid">
            {[...environments]
              .sort((a, b) => a.position - b.position)
              .map((env, i, sorted) => (
                <EnvironmentCard key={env.id} env={env} {...(i > 0 ? { previous: sorted[i - 1]! } : {})} releases={byId} onChanged={status.reload} />
              ))}
          </div>
        </section>
      ))}
      {status.loading && !status.data && !status.error && <p className="muted">Loading…</p>}
      <EventsStrip />
    </div>
  );
}
