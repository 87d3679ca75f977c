import { closest, resolveDispatchInputs, SlipwayError, type Run, type RunDetail } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { queueRun } from './queue-run.js';
import { workflowsAt } from './workflow-files.js';

/**
 * Starts a workflow by hand (workflow_dispatch) at the head of the project's branch. The workflow is named by its path,
 * its file name with or without the extension, or its `name:`. Inputs are checked against `on.workflow_dispatch.inputs`
 * before anything is queued, so that a typo is an error here and not a failed run.
 */
export async function dispatch(ctx: EngineContext, projectIdOrName: string, workflowArg: string, inputs: Run['inputs']): Promise<RunDetail> {
  const project = await ctx.store.getProject(projectIdOrName);
  if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${projectIdOrName} not found`, { hint: 'List projects with `slipway projects list`.' });
  if (!project.lastCommitSha) throw new SlipwayError('SLW_CONFLICT', `project ${project.name} has no commit yet`, { hint: 'Wait for the first poll of its branch, or trigger one.' });
  const all = await workflowsAt(ctx, project, project.lastCommitSha);
  const base = (f: string) => f.split('/').pop()!.replace(/\.ya?ml$/, '');
  const found = all.find((w) => w.file === workflowArg || base(w.file) === base(workflowArg) || w.workflow?.name === workflowArg);
  if (!found) {
    const names = all.map((w) => w.file);
    const near = closest(workflowArg, names.map(base));
    throw new SlipwayError('SLW_NOT_FOUND', `no workflow ${workflowArg} at ${project.lastCommitSha.slice(0, 7)}${near ? `; did you mean ${near}?` : ''}`, { hint: `Workflows: ${names.join(', ') || 'none'}.` });
  }
  if (!found.workflow) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${found.file} is invalid at ${project.lastCommitSha.slice(0, 7)}`, { hint: 'Run `slipway validate` on the repository.' });
  const declared = found.workflow.on.workflow_dispatch;
  if (!declared) throw new SlipwayError('SLW_CONFLICT', `${found.file} cannot be started by hand: its on: has no workflow_dispatch`, { hint: 'Add `workflow_dispatch:` under `on:` in the workflow.' });
  const checked = resolveDispatchInputs(declared.inputs, inputs);
  if (checked.problems.length > 0) throw new SlipwayError('SLW_USAGE', `${found.file}: ${checked.problems.join('; ')}`, { hint: `Inputs: ${Object.keys(declared.inputs ?? {}).join(', ') || 'none'}.` });
  return queueRun(ctx, project, { file: found.file, workflow: found.workflow, sha: project.lastCommitSha, trigger: 'manual', inputs, reason: 'started by hand (workflow_dispatch)' });
}
