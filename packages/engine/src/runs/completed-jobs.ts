import type { RunDetail, Workflow } from '@slipway/core';
import type { RunWorkflowOptions } from '@slipway/runner';
import { succeededGroups } from './job-groups.js';

/** What the runner should not run again in this attempt: workflow jobs that succeeded in an earlier one. */
export function completedJobs(workflow: Workflow, run: RunDetail): NonNullable<RunWorkflowOptions['completed']> {
  if (run.attempt === 1) return {};
  const completed: NonNullable<RunWorkflowOptions['completed']> = {};
  for (const [id, group] of succeededGroups(run.jobs)) {
    if (workflow.jobs[id]) completed[id] = { result: 'success', outputs: group.outputs };
  }
  return completed;
}
