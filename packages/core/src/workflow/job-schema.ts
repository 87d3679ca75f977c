import { z } from 'zod';
import { asRecord, dispatched } from './checked-schema.js';
import { closest } from './did-you-mean.js';
import { containerSchema, serviceSchema } from './container-schema.js';
import {
  booleanOrExpression,
  concurrencySchema,
  condition,
  defaultsSchema,
  envMap,
  nonEmpty,
  permissionsSchema,
  positiveNumberOrExpression,
  stringList,
  strictObject,
} from './schema-primitives.js';
import { checkStepIds, workflowStepSchema } from './step-schema.js';
import { strategySchema } from './strategy-schema.js';
import { workflowRefProblem } from './workflow-ref.js';

/** Keys every job takes, whether it runs steps or calls a reusable workflow. */
const commonShape = {
  name: z.string().optional().describe('The name shown for the job. Default: its id.'),
  needs: stringList.optional().describe('Jobs that must succeed before this one starts; their results and outputs are in the needs context.'),
  if: condition.optional().describe('Run the job only when this condition holds. Default: success().'),
  strategy: strategySchema.optional(),
  permissions: permissionsSchema.optional(),
  concurrency: concurrencySchema.optional(),
};

const runsOnSchema = z
  .union(
    [
      nonEmpty,
      z.array(nonEmpty).min(1, 'needs at least one label'),
      strictObject({ group: nonEmpty.optional().describe('A runner group.'), labels: stringList.optional().describe('Runner labels.') }),
    ],
    { error: 'expected a label, a list of labels, or a map with group and labels' },
  )
  .describe('The runner labels of GitHub Actions. The label kubernetes runs the job in a pod of the server\'s Kubernetes executor (SLIPWAY_KUBECONFIG); other labels are recorded, and the job runs on the host, or in Docker with container: or services:.');

const environmentSchema = z
  .union(
    [
      nonEmpty.transform((name) => ({ name })),
      strictObject({
        name: nonEmpty.describe('The name of the environment.'),
        url: z.string().optional().describe('The URL shown for the deployment.'),
        deployment: z.boolean().optional().describe('Whether the job records a deployment. Accepted and ignored.'),
      }),
    ],
    { error: 'expected an environment name or a map with name and url' },
  )
  .describe('The environment the job deploys to; given back as a map with name and url.');

const stepsJobSchema = strictObject({
  ...commonShape,
  'runs-on': runsOnSchema.optional(),
  environment: environmentSchema.optional(),
  env: envMap.optional().describe('Environment variables of every step of the job, on top of those of the workflow.'),
  defaults: defaultsSchema.optional(),
  'timeout-minutes': positiveNumberOrExpression.optional().describe('Minutes before the job is cancelled. Default: 360.'),
  'continue-on-error': booleanOrExpression.optional().describe('Let the run succeed when this job fails.'),
  outputs: z.record(nonEmpty, z.string()).optional().describe('Outputs of the job, usually ${{ steps.<id>.outputs.<name> }}; later jobs read them as needs.<job>.outputs.'),
  container: containerSchema.optional(),
  services: z.record(nonEmpty, serviceSchema).optional().describe('Sidecar containers of the job, by name.'),
  steps: z.array(workflowStepSchema, { error: 'expected a list of steps' }).min(1, 'a job needs at least one step').describe('The steps, run in order.'),
});

const workflowUses = nonEmpty
  .superRefine((uses, ctx) => {
    const problem = workflowRefProblem(uses);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { hint: 'Use ./path/to/workflow.yml for a workflow of this repository, or owner/repo/.github/workflows/file.yml@ref.' } });
  })
  .describe('The reusable workflow: ./path/to/workflow.yml, or owner/repo/.github/workflows/file.yml@ref.');

const callJobSchema = strictObject({
  ...commonShape,
  uses: workflowUses,
  with: z
    .record(nonEmpty, z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, a number or a boolean' }))
    .optional()
    .describe('Inputs of the called workflow (its on.workflow_call.inputs).'),
  secrets: z
    .union([z.literal('inherit'), z.record(nonEmpty, z.string())], { error: 'expected inherit or a map of secret names to values' })
    .optional()
    .describe('Secrets of the called workflow: a map, or inherit to pass all of this workflow\'s secrets.'),
});

/** A job that runs steps on an executor. */
export type StepsJob = z.output<typeof stepsJobSchema>;
/** A job that calls a reusable workflow (`uses:`); its jobs run in its place. */
export type CallJob = z.output<typeof callJobSchema>;
/** A job: it runs steps, or it calls a reusable workflow. */
export type WorkflowJob = StepsJob | CallJob;

/** Whether a job calls a reusable workflow rather than running steps. */
export function isCallJob(job: WorkflowJob): job is CallJob {
  return 'uses' in job && typeof job.uses === 'string';
}

const withoutKey = (key: string) => (value: unknown) => Object.fromEntries(Object.entries(asRecord(value) ?? {}).filter(([k]) => k !== key));

/**
 * A job, validated as the kind its keys announce: `uses` makes a call job, anything else a steps job. One schema per
 * kind gives precise errors ("unknown key runs-on" for a call job) where a zod union would say "invalid input".
 */
export const workflowJobSchema = dispatched<WorkflowJob>((raw, report) => {
  const job = asRecord(raw);
  if (!job) return stepsJobSchema;
  const runsSteps = 'steps' in job;
  const calls = 'uses' in job;
  if (calls && !runsSteps) return callJobSchema;
  if (runsSteps) checkStepIds(job.steps, (path, message, options) => report(['steps', ...path], message, options));
  if (runsSteps && calls) {
    report(['uses'], 'a job either runs "steps" or calls a reusable workflow with "uses", not both', { atKey: true, hint: 'Move the steps into a job of their own.' });
    return z.preprocess(withoutKey('uses'), stepsJobSchema);
  }
  if (!runsSteps) {
    // A misspelt `steps:` is reported as an unknown key with a did-you-mean; saying "needs steps" too would be noise.
    if (!Object.keys(job).some((key) => closest(key, ['steps', 'uses']))) report([], 'a job needs "steps", or "uses" to call a reusable workflow', { hint: 'Add steps: with at least one step.' });
    return stepsJobSchema.omit({ steps: true }) as unknown as z.ZodType<WorkflowJob>;
  }
  return stepsJobSchema;
}).describe('A job: steps to run on an executor, or a call of a reusable workflow with uses.');
