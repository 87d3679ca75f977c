import type { Job } from '@slipway/core';
import { useMemo } from 'react';
import { layoutJobGraph } from '../lib/job-graph.js';
import { span } from '../lib/format.js';
import { statusTone } from '../lib/tones.js';
import { StatusBadge } from './status-badge.js';

// Node boxes and gaps in CSS pixels; the SVG edges are drawn from the same numbers, so no DOM measuring is needed.
const nodeWidth = 210;
const nodeHeight = 60;
const columnGap = 56;
const rowGap = 12;
const pad = 8;

const left = (column: number) => pad + column * (nodeWidth + columnGap);
const top = (row: number) => pad + row * (nodeHeight + rowGap);

/**
 * A run's jobs as a graph: a column per depth in the `needs` DAG, an arrow per need. Clicking a job selects it
 * (clicking it again clears the selection).
 */
export function JobGraph({ jobs, now, selected, onSelect }: { jobs: readonly Job[]; now: number; selected: string | null; onSelect: (jobId: string | null) => void }) {
  const layout = useMemo(() => layoutJobGraph(jobs), [jobs]);
  const at = useMemo(() => new Map(layout.nodes.map((n) => [n.job.id, n])), [layout]);
  const width = left(layout.columns) - columnGap + pad;
  const height = top(layout.rows) - rowGap + pad;

  if (layout.nodes.length === 0) return <p className="empty">No jobs yet.</p>;
  return (
    <div className="graph-scroll">
      <div className="graph" style={{ width, height }} data-testid="job-graph" data-columns={layout.columns}>
        <svg className="graph-edges" width={width} height={height} aria-hidden="true">
          <defs>
            <marker id="graph-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" />
            </marker>
          </defs>
          {layout.edges.map((e) => {
            const from = at.get(e.from)!;
            const to = at.get(e.to)!;
            const x1 = left(from.column) + nodeWidth;
            const y1 = top(from.row) + nodeHeight / 2;
            const x2 = left(to.column) - 2;
            const y2 = top(to.row) + nodeHeight / 2;
            const mid = (x1 + x2) / 2;
            const active = selected !== null && (selected === e.from || selected === e.to);
            return (
              <path
                key={`${e.from}>${e.to}`}
                className={active ? 'graph-edge active' : 'graph-edge'}
                d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
                markerEnd="url(#graph-arrow)"
                data-testid="graph-edge"
                data-from={from.job.name}
                data-to={to.job.name}
              />
            );
          })}
        </svg>
        {layout.nodes.map(({ job, column, row }) => (
          <button
            key={job.id}
            type="button"
            className={`graph-node tone-edge-${statusTone[job.status]}${selected === job.id ? ' selected' : ''}`}
            style={{ left: left(column), top: top(row), width: nodeWidth, height: nodeHeight }}
            onClick={() => onSelect(selected === job.id ? null : job.id)}
            aria-pressed={selected === job.id}
            title={job.needs.length > 0 ? `${job.name} · needs ${job.needs.join(', ')}` : job.name}
            data-testid="graph-node"
            data-job={job.name}
            data-status={job.status}
            data-column={column}
            data-selected={String(selected === job.id)}
          >
            <span className="graph-node-name">{job.name}</span>
            <span className="graph-node-meta">
              <StatusBadge status={job.status} />
              <span className="mono muted small">{span(job.startedAt, job.finishedAt, now)}</span>
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}
