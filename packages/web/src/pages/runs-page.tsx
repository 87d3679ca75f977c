import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { WorkflowsPanel } from '../components/dispatch-panel.js';
import { ErrorPanel } from '../components/error-panel.js';
import { RunRow } from '../components/run-row.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { useNow } from '../lib/use-now.js';

const limit = 50;

/** The newest runs of every project. */
export function RunsPage() {
  const runs = useLiveResource('runs', (signal) => api.runs({ limit }, { signal }), { touches: touchesKinds('run.', 'commit.') });
  const projects = useLiveResource('projects', (signal) => api.projects({ signal }), { touches: touchesKinds('project.') });
  const names = useMemo(() => new Map((projects.data ?? []).map((p) => [p.id, p.name])), [projects.data]);
  const showProject = names.size > 1;
  const now = useNow();

  return (
    <div className="page" data-testid="runs-page">
      <h1>Runs</h1>
      {runs.error && <ErrorPanel error={runs.error} />}
      {runs.data && runs.data.length === 0 && <p className="empty panel">No runs yet. Push a commit to a followed branch to start one.</p>}
      {runs.data && runs.data.length > 0 && (
        <div className="panel">
          <table className="table runs">
            <thead>
              <tr>
                <th>Run</th>
                {showProject && <th>Project</th>}
                <th>Workflow</th>
                <th>Commit</th>
                <th>Status</th>
                <th>Duration</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <RunRow key={r.id} run={r} now={now} {...(showProject ? { projectName: names.get(r.projectId) ?? r.projectId } : {})} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.loading && !runs.data && !runs.error && <p className="muted">Loading…</p>}
      {projects.data && projects.data.length > 0 && <WorkflowsPanel projects={projects.data} />}
    </div>
  );
}
