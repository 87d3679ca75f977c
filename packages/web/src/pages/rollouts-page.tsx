import type { Measurement, Rollout } from '@slipway/core';
import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import { ActionButton } from '../components/action-button.js';
import { Badge } from '../components/badge.js';
import { ErrorPanel } from '../components/error-panel.js';
import { dateTime } from '../lib/format.js';
import { measurementTone, rolloutTone } from '../lib/tones.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';

/** Canary and blue-green rollouts, live: weight and steps, each metric's measurements against its threshold, the worst-case exposure, and the controls. */
export function RolloutsPage() {
  const rollouts = useLiveResource('rollouts', (signal) => api.rollouts({ limit: 50 }, { signal }), { touches: touchesKinds('rollout.') });
  const status = useLiveResource('status', (signal) => api.status({ signal }), { touches: touchesKinds('project.') });
  const envName = useMemo(() => new Map((status.data?.projects ?? []).flatMap((p) => p.environments.map((e) => [e.id, e.name] as const))), [status.data]);
  return (
    <div className="page" data-testid="rollouts-page">
      <h1>Rollouts</h1>
      {rollouts.error && <ErrorPanel error={rollouts.error} />}
      {rollouts.data?.length === 0 && <p className="empty panel">No rollouts yet. Give an environment a canary or blue-green strategy in slipway.yaml.</p>}
      {rollouts.data?.map((r) => <RolloutCard key={r.id} rollout={r} environment={envName.get(r.environmentId) ?? '?'} onChanged={rollouts.reload} />)}
    </div>
  );
}

function RolloutCard({ rollout: r, environment, onChanged }: { rollout: Rollout; environment: string; onChanged: () => void }) {
  const live = r.phase === 'progressing' || r.phase === 'paused';
  const metrics = [...new Set(r.measurements.map((m) => m.metric))];
  const act = (action: 'promote' | 'pause' | 'resume' | 'abort', label: string, confirm: string) => <ActionButton label={label} confirm={confirm} action={() => api.rolloutAction(r.id, action).then(onChanged)} testId={`rollout-${action}`} />;
  return (
    <section className="panel" data-testid="rollout" data-phase={r.phase} data-weight={r.weight} data-service={r.service}>
      <header className="panel-head">
        <h3>
          {r.service} in {environment}
        </h3>
        <Badge tone={rolloutTone[r.phase]}>{r.phase}</Badge>
        <span className="small">{r.strategy}</span>
        <span className="spacer" />
        <span className="muted small">
          started {dateTime(r.createdAt)}
          {r.finishedAt && ` · ended ${dateTime(r.finishedAt)}`}
        </span>
      </header>
      <div className="rollout-body">
        <div className="weight" aria-label={`new version takes ${r.weight} % of requests`}>
          <div className="weight-bar">
            <div className="weight-new" style={{ width: `${r.weight}%` }} />
          </div>
          <span className="small">
            new version: <strong data-testid="rollout-weight">{r.weight} %</strong> of requests · step {r.stepIndex + 1} of {r.steps.length} ({r.steps.map((s) => `${s} %`).join(' → ')})
          </span>
        </div>
        {r.reason && <p className="small">{r.reason}</p>}
        {r.exposure && live && <p className="small muted">Worst case for a bad version at this step: {r.exposure}.</p>}
        {metrics.map((m) => (
          <MetricChart key={m} name={m} measurements={r.measurements.filter((x) => x.metric === m)} />
        ))}
      </div>
      {live && (
        <footer className="panel-foot">
          {act('promote', r.strategy === 'blue-green' && r.stepIndex === 0 ? 'Switch' : 'Promote', `Move ${r.service} in ${environment} on?`)}
          {r.phase === 'progressing' ? act('pause', 'Pause', `Pause ${r.service} in ${environment} at ${r.weight} %?`) : act('resume', 'Resume', `Resume ${r.service} in ${environment}?`)}
          {act('abort', 'Abort', `Abort: all traffic back to the stable version of ${r.service} in ${environment}?`)}
        </footer>
      )}
    </section>
  );
}

/** One metric's measurements over time as points on a line, coloured by outcome, with the threshold in words. */
function MetricChart({ name, measurements }: { name: string; measurements: Measurement[] }) {
  const width = 520;
  const height = 90;
  const values = measurements.map((m) => m.value).filter((v): v is number => v !== null);
  const last = measurements.at(-1);
  // The threshold as a number (the first one the words name, e.g. "≥ 0.95"), drawn as a dashed line.
  const threshold = Number(/-?\d+(\.\d+)?/.exec(last?.threshold ?? '')?.[0] ?? NaN);
  const bounds = Number.isNaN(threshold) ? values : [...values, threshold];
  const max = Math.max(1, ...bounds);
  const min = Math.min(0, ...bounds);
  const t0 = Date.parse(measurements[0]?.at ?? '');
  const t1 = Math.max(t0 + 1, Date.parse(measurements.at(-1)?.at ?? ''));
  const x = (at: string) => 10 + ((Date.parse(at) - t0) / (t1 - t0)) * (width - 20);
  const y = (v: number) => height - 10 - ((v - min) / (max - min || 1)) * (height - 20);
  const points = measurements.filter((m) => m.value !== null);
  return (
    <div className="metric" data-testid="metric-chart" data-metric={name}>
      <div className="small">
        <strong>{name}</strong> {last?.threshold && <span className="muted">needs {last.threshold}</span>}{' '}
        {last && <Badge tone={measurementTone[last.phase]}>{last.phase}</Badge>} <span className="muted">{last?.detail}</span>
      </div>
      <svg width={width} height={height} role="img" aria-label={`${name} over time`}>
        <line x1={10} x2={width - 10} y1={height - 10} y2={height - 10} stroke="currentColor" opacity={0.2} />
        {!Number.isNaN(threshold) && <line data-testid="threshold" x1={10} x2={width - 10} y1={y(threshold)} y2={y(threshold)} stroke="currentColor" strokeDasharray="4 3" opacity={0.6} />}
        {points.length > 1 && <polyline fill="none" stroke="currentColor" opacity={0.4} points={points.map((m) => `${x(m.at)},${y(m.value!)}`).join(' ')} />}
        {measurements.map((m, i) => (
          <circle key={i} cx={x(m.at)} cy={m.value === null ? height - 10 : y(m.value)} r={4} className={`point tone-${measurementTone[m.phase]}`}>
            <title>{`${dateTime(m.at)} · ${m.weight} % · ${m.phase}: ${m.detail}`}</title>
          </circle>
        ))}
      </svg>
    </div>
  );
}
