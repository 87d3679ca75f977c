import { z } from 'zod';
import { asRecord, checked, type Report } from './checked-schema.js';
import { cronProblem } from './cron.js';
import { didYouMean, closest } from './did-you-mean.js';
import { hasExpression, idPattern, nonEmpty, scalarString, stringList, strictObject } from './schema-primitives.js';

/** The events GitHub Actions knows (on-mapping-strict of the workflow schema). Other names are accepted unless they look like a typo of one of these. */
const githubEvents = [
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status', 'discussion',
  'discussion_comment', 'fork', 'gollum', 'image_version', 'issue_comment', 'issues', 'label', 'merge_group', 'milestone',
  'page_build', 'project', 'project_card', 'project_column', 'public', 'pull_request', 'pull_request_comment',
  'pull_request_review', 'pull_request_review_comment', 'pull_request_target', 'push', 'registry_package', 'release',
  'repository_dispatch', 'schedule', 'status', 'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run',
] as const;

/** Activity types of pull_request and pull_request_target. */
const pullRequestActivityTypes = [
  'assigned', 'unassigned', 'labeled', 'unlabeled', 'opened', 'edited', 'closed', 'reopened', 'synchronize', 'converted_to_draft',
  'locked', 'unlocked', 'enqueued', 'dequeued', 'milestoned', 'demilestoned', 'ready_for_review', 'review_requested',
  'review_request_removed', 'auto_merge_enabled', 'auto_merge_disabled',
] as const;

/** An event written without configuration (`push:` or `on: push`) means "with no filters". */
const orEmpty = <T>(schema: z.ZodType<T, unknown>) => z.preprocess((v) => v ?? {}, schema);

const filterPairs = [
  ['branches', 'branches-ignore'],
  ['tags', 'tags-ignore'],
  ['paths', 'paths-ignore'],
] as const;

/** GitHub refuses a filter and its `-ignore` twin on one event, and a filter of only `!` patterns never matches. */
function checkFilters(input: unknown, report: Report): void {
  const filter = asRecord(input);
  if (!filter) return;
  for (const [include, ignore] of filterPairs) {
    if (include in filter && ignore in filter) {
      report([ignore], `use either "${include}" or "${ignore}", not both`, { atKey: true, hint: `Move the exclusions into "${include}" as patterns that start with "!".` });
    }
    const value = filter[include];
    const patterns = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    if (patterns.length > 0 && patterns.every((p) => typeof p === 'string' && p.startsWith('!'))) {
      report([include], `every pattern in "${include}" starts with "!", so nothing can match`, { hint: `Use "${ignore}" to list only exclusions, or add a pattern to include first.` });
    }
  }
}

const patterns = (what: string) => stringList.optional().describe(what);

const pushTriggerSchema = checked(
  strictObject({
    branches: patterns('Branch name patterns a push must match. A pattern that starts with "!" excludes.'),
    'branches-ignore': patterns('Branch name patterns that never trigger the workflow.'),
    tags: patterns('Tag name patterns a tag push must match. A pattern that starts with "!" excludes.'),
    'tags-ignore': patterns('Tag name patterns that never trigger the workflow.'),
    paths: patterns('At least one changed file must match one of these path patterns. Not evaluated for tag pushes.'),
    'paths-ignore': patterns('The workflow does not run when every changed file matches these path patterns.'),
  }),
  checkFilters,
);

const activityTypes = z
  .union([z.enum(pullRequestActivityTypes), z.array(z.enum(pullRequestActivityTypes))])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .optional()
  .describe('Activity types that trigger the workflow. Default: opened, synchronize and reopened.');

const pullRequestTriggerSchema = checked(
  strictObject({
    types: activityTypes,
    branches: patterns('Patterns the base branch of the pull request must match.'),
    'branches-ignore': patterns('Base branch patterns that never trigger the workflow.'),
    paths: patterns('At least one changed file must match one of these path patterns.'),
    'paths-ignore': patterns('The workflow does not run when every changed file matches these path patterns.'),
  }),
  checkFilters,
);

const inputName = z.string().regex(idPattern, 'an input name starts with a letter or _ and holds only letters, digits, - and _');
const outputName = z.string().regex(idPattern, 'an output name starts with a letter or _ and holds only letters, digits, - and _');
const defaultValue = z.union([z.string(), z.boolean(), z.number()], { error: 'expected a string, a boolean or a number' });

/** A default must have the input's type; an expression is checked when the run starts. */
function checkDefault(input: Record<string, unknown>, type: unknown, report: Report): void {
  const value = input.default;
  if (value === undefined || (typeof value === 'string' && hasExpression(value))) return;
  if (type === 'boolean' && typeof value !== 'boolean') report(['default'], 'the default of a boolean input must be true or false');
  if (type === 'number' && typeof value !== 'number') report(['default'], 'the default of a number input must be a number');
}

const dispatchInputSchema = checked(
  strictObject({
    description: z.string().optional().describe('What the input is for, shown when the workflow is dispatched.'),
    required: z.boolean().optional().describe('Whether the input must be given.'),
    default: defaultValue.optional().describe('The value when the input is not given.'),
    type: z.enum(['string', 'boolean', 'number', 'choice', 'environment']).default('string').describe('The type of the input. Default: string.'),
    options: z.array(scalarString).optional().describe('The choices of a choice input.'),
  }),
  (raw, report) => {
    const input = asRecord(raw);
    if (!input) return;
    const type = input.type ?? 'string';
    const options = Array.isArray(input.options) ? input.options.map(String) : undefined;
    if (type === 'choice' && (!options || options.length === 0)) report(['type'], 'a choice input needs a list of "options"', { atKey: true });
    if (type !== 'choice' && 'options' in input) report(['options'], '"options" applies only to inputs of type choice', { atKey: true });
    if (type === 'choice' && options && input.default !== undefined && !options.includes(String(input.default))) {
      report(['default'], `default ${JSON.stringify(input.default)} is not one of the options`, { hint: `Use one of: ${options.join(', ')}.` });
    }
    checkDefault(input, type, report);
  },
).describe('An input of a manually dispatched run.');

const workflowDispatchSchema = strictObject({
  inputs: z.record(inputName, dispatchInputSchema).optional().describe('Inputs given when the workflow is dispatched, available in the inputs context.'),
});

const callInputSchema = checked(
  strictObject({
    description: z.string().optional().describe('What the input is for.'),
    type: z.enum(['boolean', 'number', 'string']).describe('The type of the input: boolean, number or string.'),
    required: z.boolean().optional().describe('Whether the caller must give the input.'),
    default: defaultValue.optional().describe('The value when the caller does not give the input.'),
  }),
  (raw, report) => {
    const input = asRecord(raw);
    if (input) checkDefault(input, input.type, report);
  },
);

/** `on.workflow_call`: the interface of a reusable workflow. */
const workflowCallSchema = strictObject({
  inputs: z.record(inputName, callInputSchema).optional().describe('Inputs the caller passes with `with:`.'),
  outputs: z
    .record(
      outputName,
      strictObject({
        description: z.string().optional().describe('What the output holds.'),
        value: z.string().describe('The value, usually an expression over the jobs context: ${{ jobs.build.outputs.version }}.'),
      }),
    )
    .optional()
    .describe('Outputs of the reusable workflow, available to the caller as needs.<job>.outputs.'),
  secrets: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a secret name holds only letters, digits and _ and does not start with a digit'),
      orEmpty(strictObject({ description: z.string().optional().describe('What the secret is for.'), required: z.boolean().optional().describe('Whether the caller must pass the secret.') })),
    )
    .optional()
    .describe('Secrets the caller passes with `secrets:`.'),
});

const scheduleSchema = z
  .array(
    strictObject({
      cron: z.string().superRefine((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { hint: 'Write five fields, for example "30 5 * * 1-5" (05:30 UTC on weekdays).' } });
      }).describe('When to run, in POSIX cron syntax (UTC unless timezone is set).'),
      timezone: nonEmpty.optional().describe('An IANA time zone for the cron expression, such as Europe/Paris.'),
    }),
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a list of entries like { cron: "30 5 * * 1-5" }' : undefined) },
  )
  .min(1, 'needs at least one cron entry')
  .describe('Times to run the workflow on the default branch.');

const otherEventSchema = z
  .looseObject({ types: stringList.optional().describe('Activity types that trigger the workflow.') }, { error: 'expected a map of settings, or nothing' })
  .describe('Any other GitHub event. Slipway accepts it; only the events it produces itself trigger runs.');

const triggersObject = z.object(
  {
    push: orEmpty(pushTriggerSchema).optional().describe('Run on pushes of branches and tags.'),
    pull_request: orEmpty(pullRequestTriggerSchema).optional().describe('Run on pull request activity; branch filters apply to the base branch.'),
    pull_request_target: orEmpty(pullRequestTriggerSchema).optional().describe('Like pull_request, in the context of the base branch.'),
    workflow_dispatch: orEmpty(workflowDispatchSchema).optional().describe('Run when dispatched by hand, with inputs.'),
    schedule: scheduleSchema.optional(),
    workflow_call: orEmpty(workflowCallSchema).optional().describe('Make the workflow reusable: other workflows call it from a job with `uses:`.'),
  },
  { error: 'expected an event name, a list of event names, or a map of events to their settings' },
).catchall(orEmpty(otherEventSchema));

/** `on: push` and `on: [push, pull_request]` are shorthands of the map form with no settings. */
function normalizeOn(on: unknown): unknown {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on) && on.every((e) => typeof e === 'string')) return Object.fromEntries(on.map((e) => [e, null]));
  return on;
}

/** Event names in the order written, with the path at which each appears. */
function eventNames(on: unknown): [string, PropertyKey[]][] {
  if (typeof on === 'string') return [[on, []]];
  if (Array.isArray(on)) return on.flatMap((e, i): [string, PropertyKey[]][] => (typeof e === 'string' ? [[e, [i]]] : []));
  return Object.keys(asRecord(on) ?? {}).map((e) => [e, [e]]);
}

function checkEvents(on: unknown, report: Report): void {
  const names = eventNames(on);
  if (names.length === 0 && on !== null && (Array.isArray(on) || typeof on === 'object')) report([], 'needs at least one event', { hint: 'Add an event such as push or workflow_dispatch.' });
  for (const [name, path] of names) {
    if ((githubEvents as readonly string[]).includes(name)) continue;
    // Unknown names are accepted (GitHub adds events), but a near miss of a known event is a typo that would never fire.
    if (!closest(name, githubEvents)) continue;
    const inMap = asRecord(on) !== undefined;
    report(path, inMap ? 'unknown event' : `unknown event "${name}"`, { atKey: inMap, hint: `${didYouMean(name, githubEvents)}Known events: ${githubEvents.join(', ')}.` });
  }
}

export type PushTrigger = z.output<typeof pushTriggerSchema>;
export type PullRequestTrigger = z.output<typeof pullRequestTriggerSchema>;
/** An input of `on.workflow_dispatch`. */
export type WorkflowDispatchInput = z.output<typeof dispatchInputSchema>;
type WorkflowDispatchTrigger = z.output<typeof workflowDispatchSchema>;
/** `on.workflow_call`: the inputs, outputs and secrets of a reusable workflow. */
export type WorkflowCallSpec = z.output<typeof workflowCallSchema>;
type ScheduleEntry = z.output<typeof scheduleSchema>[number];

/**
 * The events that trigger a workflow, normalized from any form of `on:` to a map of event → settings. Events written
 * without settings have `{}`. Events other than those typed here keep their settings as written (`types` as a list).
 */
export interface WorkflowTriggers {
  push?: PushTrigger;
  pull_request?: PullRequestTrigger;
  pull_request_target?: PullRequestTrigger;
  workflow_dispatch?: WorkflowDispatchTrigger;
  schedule?: ScheduleEntry[];
  workflow_call?: WorkflowCallSpec;
  [event: string]: unknown;
}

/** `on:` an event name, a list of names, or a map of events to their settings; given back as {@link WorkflowTriggers}. */
export const triggersSchema = checked(z.preprocess(normalizeOn, triggersObject), checkEvents).describe(
  'The events that trigger the workflow: an event name, a list of names, or a map of events to their settings.',
) as z.ZodType<WorkflowTriggers, unknown>;
