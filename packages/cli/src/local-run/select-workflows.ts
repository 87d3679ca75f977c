import { basename } from 'node:path';
import { closest, SlipwayError, type Workflow } from '@slipway/core';
import type { WorkflowFile } from '../workflow-files.js';

/** A workflow file and its parsed, valid content. */
export interface LoadedWorkflow {
  file: WorkflowFile;
  workflow: Workflow;
}

export interface SelectRequest {
  /** The workflow the user named, if any: it runs whatever its triggers. */
  explicit?: LoadedWorkflow;
  /** --event, when given. */
  event?: string;
  /** --input was given: without --event, that means workflow_dispatch. */
  wantsInputs: boolean;
  /** -j: only workflows that have this job run. */
  job?: string;
}

const events = (wf: Workflow) => Object.keys(wf.on);

/**
 * Which workflows run and for which event. With a named workflow: that one, for --event, else workflow_dispatch when
 * inputs are given and it has that trigger, else push when it has it, else its first event. Otherwise every workflow
 * whose `on` includes the event (push by default; branch and path filters are not applied to a local run, as in act). Pure.
 */
export function selectWorkflows(all: readonly LoadedWorkflow[], req: SelectRequest): { event: string; workflows: LoadedWorkflow[] } {
  let event: string;
  let chosen: LoadedWorkflow[];
  if (req.explicit) {
    const on = events(req.explicit.workflow);
    event = req.event ?? (req.wantsInputs && on.includes('workflow_dispatch') ? 'workflow_dispatch' : on.includes('push') ? 'push' : (on[0] ?? 'push'));
    chosen = [req.explicit];
  } else {
    event = req.event ?? (req.wantsInputs ? 'workflow_dispatch' : 'push');
    chosen = all.filter((w) => events(w.workflow).includes(event));
    if (chosen.length === 0) {
      const listed = all.map((w) => `${w.file.shown} (${events(w.workflow).join(', ')})`).join('; ');
      throw new SlipwayError('SLW_NOT_FOUND', `no workflow runs on ${event}`, {
        hint: all.length === 0 ? 'Add a workflow under .slipway/workflows, or name a workflow file.' : `Pick an event with --event, or name a workflow. Found: ${listed}.`,
      });
    }
  }
  if (req.job !== undefined) {
    const job = req.job;
    const withJob = chosen.filter((w) => Object.hasOwn(w.workflow.jobs, job));
    if (withJob.length === 0) {
      const ids = [...new Set(chosen.flatMap((w) => Object.keys(w.workflow.jobs)))];
      const near = closest(job, ids);
      throw new SlipwayError('SLW_NOT_FOUND', `no job "${job}" in ${chosen.map((w) => w.file.shown).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`, { hint: `Jobs: ${ids.join(', ')}.` });
    }
    chosen = withJob;
  }
  return { event, workflows: chosen };
}

/** The discovered workflow a name refers to: its file name with or without the extension, or its `name:`. Pure. */
export function findWorkflowByName(name: string, all: readonly LoadedWorkflow[]): LoadedWorkflow {
  const lower = name.toLowerCase();
  const stem = (w: LoadedWorkflow) => basename(w.file.rel).replace(/\.ya?ml$/, '');
  const hit = all.find((w) => basename(w.file.rel) === name || stem(w) === name) ?? all.find((w) => typeof w.workflow.name === 'string' && w.workflow.name.toLowerCase() === lower);
  if (hit) return hit;
  const names = all.map(stem);
  const near = closest(name, names);
  throw new SlipwayError('SLW_NOT_FOUND', `no workflow "${name}"${near ? ` (did you mean "${near}"?)` : ''}`, {
    hint: names.length > 0 ? `Name a file, or one of: ${names.join(', ')}.` : 'Add a workflow under .slipway/workflows, or pass the path to a workflow file.',
  });
}
