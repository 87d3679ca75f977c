import type { Job } from '@slipway/core';

/**
 * The workflow job a run's job row belongs to. Rows are named by their runner key: `build`, a matrix combination
 * `test (linux, 20)`, or a job of a called workflow `deploy / migrate`. Job ids cannot hold spaces, so the split is safe.
 */
export const workflowJobOf = (rowName: string): string => rowName.split(' / ')[0]!.replace(/ \(.*\)$/, '');

/** Rows by workflow job, in run order. */
export function groupJobs(jobs: Job[]): Map<string, Job[]> {
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const id = workflowJobOf(job.name);
    groups.set(id, [...(groups.get(id) ?? []), job]);
  }
  return groups;
}

/**
 * Workflow jobs that already succeeded in an earlier attempt, with their outputs: every row of the job (each matrix
 * combination, each called job) succeeded. They are kept when failed jobs are re-run, and their outputs feed `needs`.
 */
export function succeededGroups(jobs: Job[]): Map<string, { rows: Job[]; outputs: Record<string, string> }> {
  const out = new Map<string, { rows: Job[]; outputs: Record<string, string> }>();
  for (const [id, rows] of groupJobs(jobs)) {
    const own = rows.filter((r) => !r.name.includes(' / '));
    if (!rows.every((r) => r.status === 'succeeded')) continue;
    out.set(id, { rows, outputs: Object.assign({}, ...own.map((r) => r.outputs)) });
  }
  return out;
}
