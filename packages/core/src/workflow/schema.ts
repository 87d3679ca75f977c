import { z } from 'zod';
import { workflowJobSchema } from './job-schema.js';
import { concurrencySchema, defaultsSchema, envMap, idPattern, permissionsSchema, strictObject } from './schema-primitives.js';
import { triggersSchema } from './trigger-schema.js';

/**
 * A CI workflow in GitHub Actions syntax. Shorthands come back normalized: `on` as a map of events, `needs` as a list,
 * env values as strings, `container`, `services`, `environment` and `concurrency` as maps.
 */
export const workflowSchema = strictObject(
  {
    name: z.string().optional().describe('The name shown for the workflow. Default: its file name.'),
    'run-name': z.string().optional().describe('The name of each run; may use the github and inputs contexts.'),
    description: z.string().optional().describe('What the workflow does.'),
    on: triggersSchema,
    env: envMap.optional().describe('Environment variables of every step of every job.'),
    defaults: defaultsSchema.optional(),
    permissions: permissionsSchema.optional(),
    concurrency: concurrencySchema.optional(),
    jobs: z
      .record(z.string().regex(idPattern, 'a job id starts with a letter or _ and holds only letters, digits, - and _'), workflowJobSchema, { error: 'expected a map of job ids to jobs' })
      .refine((jobs) => Object.keys(jobs).length > 0, 'a workflow needs at least one job')
      .describe('The jobs, by id. They run in parallel unless ordered with needs.'),
  },
  'expected a map with on and jobs',
);

export type Workflow = z.output<typeof workflowSchema>;
export { isCallJob, type CallJob, type StepsJob, type WorkflowJob } from './job-schema.js';
export type { WorkflowStep } from './step-schema.js';
export type { WorkflowTriggers, WorkflowDispatchInput, WorkflowCallSpec } from './trigger-schema.js';
