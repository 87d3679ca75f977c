import type { Run } from '@slipway/core';
import { age, dateTime, shortSha, span } from '../lib/format.js';
import { href } from '../lib/route.js';
import { StatusBadge } from './status-badge.js';

export function RunRow({ run, now, projectName }: { run: Run; now: number; projectName?: string }) {
  const link = href({ page: 'run', runId: run.id });
  return (
    <tr
      className="clickable"
      data-testid="run-row"
      data-run-id={run.id}
      data-status={run.status}
      data-workflow={run.workflowName}
      onClick={(e) => {
        // Let real link clicks (and middle/ctrl clicks) behave as links.
        if (!(e.target instanceof Element && e.target.closest('a'))) window.location.hash = link;
      }}
    >
      <td className="mono">
        <a href={link}>#{run.number}</a>
      </td>
      {projectName !== undefined && <td>{projectName}</td>}
      <td>
        {run.workflowName}
        {run.trigger !== 'push' && (
          <span className="muted small" data-testid="run-trigger">
            {' '}
            {run.trigger === 'manual' ? 'by hand' : run.pullRequest ? `PR #${run.pullRequest.number}${run.pullRequest.fork ? ' (fork)' : ''}` : run.trigger}
          </span>
        )}
        {run.attempt > 1 && <span className="muted small"> attempt {run.attempt}</span>}
      </td>
      <td className="mono">{shortSha(run.commitSha)}</td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="mono nowrap">{span(run.startedAt, run.finishedAt, now)}</td>
      <td className="muted nowrap" title={dateTime(run.createdAt)}>
        {age(run.createdAt, now)}
      </td>
    </tr>
  );
}
