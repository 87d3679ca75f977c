import type { DoraReport, DoraTier, Project } from '@slipway/core';
import { api } from '../api/endpoints.js';
import { ErrorPanel } from '../components/error-panel.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { formatSeconds } from '../lib/format.js';

/** DORA's four keys of each project's production environment over the last 30 days, with a chart of deploys per day. */
export function InsightsPage() {
  const projects = useLiveResource('projects', (signal) => api.projects({ signal }), { touches: touchesKinds('project.') });
  return (
    <div className="page" data-testid="insights-page">
      <h1>Insights</h1>
      <p className="muted">DORA metrics of each project's last environment over the last 30 days, computed from the event log; tiers from the DORA 2024 report.</p>
      {projects.error && <ErrorPanel error={projects.error} />}
      {projects.data?.length === 0 && <p className="empty panel">No projects yet.</p>}
      {projects.data?.map((p) => <ProjectInsights key={p.id} project={p} />)}
    </div>
  );
}

function ProjectInsights({ project }: { project: Project }) {
  const report = useLiveResource(`insights:${project.id}`, (signal) => api.insights(project.id, { signal }), { touches: touchesKinds('promotion.', 'release.') });
  const r = report.data;
  return (
    <section className="panel insights" data-testid="insights" data-project={project.name}>
      <header className="panel-head">
        <h3>{project.name}</h3>
        {r && <span className="muted small">→ {r.environment}, {r.deployments} deployment{r.deployments === 1 ? '' : 's'}</span>}
        <span className="spacer" />
        {r && <TierBadge tier={r.tier.overall} label="overall" />}
      </header>
      {report.error && <ErrorPanel error={report.error} />}
      {r && (
        <>
          <div className="tiles">
            <Tile name="Deployment frequency" value={`${r.deploymentFrequency.perDay} / day`} tier={r.deploymentFrequency.tier} testId="deployment-frequency" />
            <Tile name="Change lead time" value={formatSeconds(r.leadTime.medianSeconds)} note={`median of ${r.leadTime.changes} changes`} tier={r.leadTime.tier} testId="lead-time" />
            <Tile name="Change fail rate" value={r.changeFailRate.rate === null ? '–' : `${Math.round(r.changeFailRate.rate * 1000) / 10} %`} note={`${r.changeFailRate.failed} of ${r.deployments}`} tier={r.changeFailRate.tier} testId="change-fail-rate" />
            <Tile name="Recovery time" value={formatSeconds(r.recoveryTime.medianSeconds)} note={`${r.recoveryTime.recovered} of ${r.recoveryTime.failures} failures recovered`} tier={r.recoveryTime.tier} testId="recovery-time" />
          </div>
          <DailyChart daily={r.daily} />
        </>
      )}
    </section>
  );
}

function Tile({ name, value, note, tier, testId }: { name: string; value: string; note?: string; tier: DoraTier | null; testId: string }) {
  return (
    <div className="tile" data-testid={testId} data-tier={tier ?? 'none'}>
      <div className="muted small">{name}</div>
      <div className="tile-value">{value}</div>
      <div className="small">
        <TierBadge tier={tier} />
        {note && <span className="muted"> {note}</span>}
      </div>
    </div>
  );
}

function TierBadge({ tier, label }: { tier: DoraTier | null; label?: string }) {
  return <span className={`badge tier-${tier ?? 'none'}`}>{label ? `${label}: ` : ''}{tier ?? 'no data'}</span>;
}

/** Deploys per day as bars; the failed part of a day in red. The bars stretch to the width; the dates sit below. */
function DailyChart({ daily }: { daily: DoraReport['daily'] }) {
  const max = Math.max(1, ...daily.map((d) => d.deployments));
  const h = 80;
  return (
    <figure className="daily-chart" data-testid="daily-chart">
      <svg viewBox={`0 0 ${daily.length * 10} ${h}`} preserveAspectRatio="none" role="img" aria-label="Deployments per day">
        {daily.map((d, i) => {
          const total = (d.deployments / max) * h;
          const failed = (d.failed / max) * h;
          return (
            <g key={d.date}>
              <title>{`${d.date}: ${d.deployments} deployments, ${d.failed} failed`}</title>
              <rect x={i * 10 + 1} y={h - total} width={8} height={total - failed} className="bar-ok" />
              <rect x={i * 10 + 1} y={h - failed} width={8} height={failed} className="bar-failed" />
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        <span>{daily[0]?.date}</span>
        <span>deployments per day (failed in red)</span>
        <span>{daily.at(-1)?.date}</span>
      </figcaption>
    </figure>
  );
}
