import type { EnvironmentStatus } from '@slipway/core';
import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { ErrorPanel } from '../components/error-panel.js';
import { ReleaseRow } from '../components/release-row.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { useNow } from '../lib/use-now.js';

/** Every release, newest first, with where each one is desired. */
export function ReleasesPage() {
  const releases = useLiveResource('releases', (signal) => api.releases({ limit: 200 }, { signal }), { touches: touchesKinds('release.') });
  const status = useLiveResource('status', (signal) => api.status({ signal }), { touches: touchesKinds('deployment.', 'promotion.', 'project.') });
  const now = useNow(5000);
  const projects = useMemo(() => {
    const m = new Map<string, { name: string; environments: EnvironmentStatus[] }>();
    for (const p of status.data?.projects ?? []) m.set(p.project.id, { name: p.project.name, environments: [...p.environments].sort((a, b) => a.position - b.position) });
    return m;
  }, [status.data]);
  const showProject = projects.size > 1;

  return (
    <div className="page" data-testid="releases-page">
      <h1>Releases</h1>
      {releases.error && <ErrorPanel error={releases.error} />}
      {releases.data && releases.data.length === 0 && <p className="empty panel">No releases yet. A release is cut when a commit's runs succeed.</p>}
      {releases.data && releases.data.length > 0 && (
        <div className="panel">
          <table className="table releases">
            <thead>
              <tr>
                <th>Version</th>
                {showProject && <th>Project</th>}
                <th>Commit</th>
                <th>Changed services</th>
                <th>Desired in</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {releases.data.map((r) => {
                const project = projects.get(r.projectId);
                return (
                  <ReleaseRow
                    key={r.id}
                    release={r}
                    environments={project?.environments ?? []}
                    now={now}
                    onChanged={status.reload}
                    {...(showProject ? { projectName: project?.name ?? r.projectId } : {})}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {releases.loading && !releases.data && !releases.error && <p className="muted">Loading…</p>}
    </div>
  );
}
