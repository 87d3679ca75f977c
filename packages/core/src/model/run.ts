import { z } from 'zod';

export const runStatuses = ['queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'] as const;
export const runStatusSchema = z
  .enum(runStatuses)
  .describe('queued → running → succeeded | failed | cancelled; a cancelled running run is `cancelling` until its steps have stopped and its containers are gone.');
export type RunStatus = z.infer<typeof runStatusSchema>;
export const isFinished = (s: RunStatus): boolean => s === 'succeeded' || s === 'failed' || s === 'cancelled';

export const stepSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  index: z.number().int(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']),
  exitCode: z.number().int().nullable(),
  queuedAt: z.string().nullable().describe('When the step was planned.'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Step = z.infer<typeof stepSchema>;
export type StepStatus = Step['status'];

export const jobSchema = z.object({
  id: z.string(),
  runId: z.string(),
  name: z.string().describe('Job id in the workflow.'),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']),
  needs: z.array(z.string()),
  outputs: z.record(z.string(), z.string()).describe('Job outputs, kept so that re-running failed jobs can reuse them.'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  steps: z.array(stepSchema),
});
export type Job = z.infer<typeof jobSchema>;

export const triggerReasonSchema = z.object({
  service: z.string(),
  triggered: z.boolean(),
  reason: z.string().describe('Why the service was (or was not) triggered, e.g. the first changed path it owns.'),
});

export const runSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  number: z.number().int().describe('Sequence number of the run in its project.'),
  workflow: z.string().describe('Workflow file, relative to the repository root.'),
  workflowName: z.string(),
  commitSha: z.string(),
  branch: z.string(),
  trigger: z.enum(['push', 'pull_request', 'manual', 'schedule', 'retry']).describe('push: a new commit; pull_request: a pull request was opened or updated; manual: workflow_dispatch; schedule: on.schedule.'),
  pullRequest: z
    .object({ number: z.number().int(), headRef: z.string(), baseRef: z.string(), fork: z.boolean(), url: z.string().nullable(), title: z.string() })
    .nullable()
    .describe('The pull request a run tests; runs of pull requests from forks get no secrets and make no release.'),
  inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('workflow_dispatch inputs, as given (the runner checks and defaults them).'),
  status: runStatusSchema,
  attempt: z.number().int().describe('1 for the first attempt; a re-run, or a run interrupted by a crash, runs again as the next attempt.'),
  concurrency: z
    .object({ group: z.string(), cancelInProgress: z.boolean() })
    .nullable()
    .describe("The workflow's `concurrency`: one run of a group runs at a time; with cancelInProgress a new run cancels the running one."),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;
export const runDetailSchema = runSchema.extend({ jobs: z.array(jobSchema) });
export type RunDetail = z.infer<typeof runDetailSchema>;

export const logLineSchema = z.object({
  seq: z.number().int(),
  runId: z.string(),
  jobId: z.string().nullable(),
  stepId: z.string().nullable(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
  ts: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const workflowSummarySchema = z.object({
  file: z.string().describe('Path in the repository.'),
  name: z.string(),
  valid: z.boolean(),
  error: z.string().nullable().describe('The first problem of an invalid workflow, as file:line:col: code message.'),
  events: z.array(z.string()).describe('The events under `on:`.'),
  schedules: z.array(z.string()).describe('Cron expressions of `on.schedule`.'),
  dispatchInputs: z
    .record(
      z.string(),
      z.object({
        type: z.enum(['string', 'boolean', 'number', 'choice', 'environment']),
        description: z.string().nullable(),
        required: z.boolean(),
        default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
        options: z.array(z.string()),
      }),
    )
    .nullable()
    .describe('The inputs of `on.workflow_dispatch`, or null when the workflow cannot be started by hand.'),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;
