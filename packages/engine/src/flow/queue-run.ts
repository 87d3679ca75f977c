import { isCallJob, type Project, type Run, type RunDetail, type Workflow } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { concurrencyOf } from '../runs/concurrency.js';

export interface QueueRunInput {
  file: string;
  /** Undefined when the workflow is invalid: the run is queued anyway and fails with the parse errors. */
  workflow: Workflow | undefined;
  sha: string;
  trigger: Run['trigger'];
  inputs?: Run['inputs'];
  pullRequest?: Run['pullRequest'];
  /** The branch the commit is on; default the project's. */
  branch?: string;
  /** Why it runs, for the run.queued event. */
  reason: string;
}

const eventNames: Record<Run['trigger'], string> = { push: 'push', pull_request: 'pull_request', manual: 'workflow_dispatch', schedule: 'schedule', retry: 'push' };

/** Creates a run of one workflow at a commit, with a row per job and step, and queues it. Every trigger goes through here. */
export async function queueRun(ctx: EngineContext, project: Project, input: QueueRunInput): Promise<RunDetail> {
  const name = input.workflow?.name ?? input.file;
  const jobs = Object.entries(input.workflow?.jobs ?? {}).map(([id, j]) => ({
    name: id,
    needs: j.needs ?? [],
    steps: isCallJob(j) ? [] : j.steps.map((s, i) => ({ name: s.name ?? (s.run ? firstLine(s.run) : (s.uses ?? `step ${i + 1}`)) })),
  }));
  const branch = input.branch ?? project.branch;
  const pr = input.pullRequest;
  const github = {
    repository: project.name,
    ref: pr ? `refs/pull/${pr.number}/merge` : `refs/heads/${branch}`,
    ref_name: pr ? `${pr.number}/merge` : branch,
    head_ref: pr?.headRef ?? '',
    base_ref: pr?.baseRef ?? '',
    sha: input.sha,
    event_name: eventNames[input.trigger],
    workflow: name,
  };
  const concurrency = input.workflow ? concurrencyOf(input.workflow, github, input.file) : null;
  const run = await ctx.store.createRun({ projectId: project.id, workflow: input.file, workflowName: name, commitSha: input.sha, branch, trigger: input.trigger, concurrency, inputs: input.inputs ?? {}, pullRequest: pr ?? null, jobs });
  await ctx.bus.emit({ kind: 'run.queued', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} ${run.workflowName} queued: ${input.reason}`, data: { commitSha: input.sha, workflow: input.file, trigger: input.trigger } });
  await ctx.enqueue('run.execute', { runId: run.id }, { dedupeKey: `run:${run.id}` });
  return run;
}

export const firstLine = (s: string) => s.trim().split('\n')[0]!.slice(0, 72);
