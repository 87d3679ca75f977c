import { z } from 'zod';
import type { ParseResult } from '../config/parse-config.js';
import { asRecord, checked, dispatched } from './checked-schema.js';
import { parseDocumentWith } from './parse-document.js';
import { problemAt, type Problem } from './problems.js';
import { envMap, idPattern, nonEmpty, strictObject } from './schema-primitives.js';
import { checkStepIds, compositeStepSchema } from './step-schema.js';

/** The runtimes of `runs.using`: node12 and node16 are retired on GitHub but still found in local actions. */
const nodeRuntimes = ['node12', 'node16', 'node20', 'node24'] as const;
const runtimes = ['composite', ...nodeRuntimes, 'docker'];

const runsCondition = z.string().optional();

const compositeRunsSchema = checked(
  strictObject({
    using: z.literal('composite').describe('composite: the action runs the steps below.'),
    steps: z.array(compositeStepSchema, { error: 'expected a list of steps' }).min(1, 'a composite action needs at least one step').describe('The steps of the action, run in order.'),
  }),
  (raw, report) => checkStepIds(asRecord(raw)?.steps, (path, message, options) => report(['steps', ...path], message, options)),
);

const nodeRunsSchema = strictObject({
  using: z.enum(nodeRuntimes).describe('The Node.js version that runs the action.'),
  main: nonEmpty.describe('The file that runs the action, relative to the action directory.'),
  pre: nonEmpty.optional().describe('A file run at the start of the job, before main.'),
  'pre-if': runsCondition.describe('Run pre only when this condition holds. Default: always().'),
  post: nonEmpty.optional().describe('A file run at the end of the job, to clean up.'),
  'post-if': runsCondition.describe('Run post only when this condition holds. Default: always().'),
});

const dockerRunsSchema = strictObject({
  using: z.literal('docker').describe('docker: the action runs in a container.'),
  image: nonEmpty.describe('The image: a Dockerfile in the action directory, or docker://image.'),
  args: z.array(z.string()).optional().describe('Arguments of the container ENTRYPOINT; may use the inputs context.'),
  env: envMap.optional().describe('Environment variables of the container.'),
  entrypoint: nonEmpty.optional().describe("Replaces the image's ENTRYPOINT."),
  'pre-entrypoint': nonEmpty.optional().describe('Runs at the start of the job, before the entrypoint.'),
  'pre-if': runsCondition.describe('Run pre-entrypoint only when this condition holds. Default: always().'),
  'post-entrypoint': nonEmpty.optional().describe('Runs at the end of the job, to clean up.'),
  'post-if': runsCondition.describe('Run post-entrypoint only when this condition holds. Default: always().'),
});

/** `runs:` validated as the runtime `using` names: each runtime takes its own keys. */
const runsSchema = dispatched<z.output<typeof compositeRunsSchema> | z.output<typeof nodeRunsSchema> | z.output<typeof dockerRunsSchema>>((raw, report) => {
  const runs = asRecord(raw);
  const using = runs?.using;
  // Without a known runtime there is no telling which keys belong: report only the runtime.
  if (runs && using === undefined) {
    report([], 'needs "using"', { atKey: true, hint: `Add using: with one of: ${runtimes.join(', ')}.` });
    return z.unknown() as never;
  }
  if (using === 'composite') return compositeRunsSchema;
  if (using === 'docker') return dockerRunsSchema;
  if (typeof using === 'string' && !(nodeRuntimes as readonly string[]).includes(using)) {
    report(['using'], `unknown runtime "${using}"`, { hint: `Use one of: ${runtimes.join(', ')}.` });
    return z.unknown() as never;
  }
  return nodeRunsSchema;
}).describe('How the action runs: composite steps, a Node.js program, or a Docker container.');

const inputSchema = strictObject({
  description: z.string().optional().describe('What the input is for.'),
  // GitHub's runner reads `required: 'true'` as true, and many actions quote it.
  required: z
    .union([z.boolean(), z.enum(['true', 'false'])], { error: 'expected true or false' })
    .transform((v) => v === true || v === 'true')
    .optional()
    .describe('Whether a step must give the input.'),
  default: z
    .union([z.string(), z.number(), z.boolean()], { error: 'expected a string' })
    .transform(String)
    .optional()
    .describe('The value when a step does not give the input; may be an expression.'),
  deprecationMessage: z.string().optional().describe('A warning shown when a step gives the input.'),
});

const outputSchema = strictObject({
  description: z.string().optional().describe('What the output holds.'),
  value: z.string().optional().describe('Composite actions only: the value, usually ${{ steps.<id>.outputs.<name> }}.'),
});

const name = (what: string) => z.string().regex(idPattern, `${what} name starts with a letter or _ and holds only letters, digits, - and _`);

/** The metadata of an action: `action.yml` (or `action.yaml`) at the root of the action's directory. */
const actionManifestSchema = strictObject(
  {
    name: nonEmpty.describe('The name of the action.'),
    description: z.string().describe('What the action does.'),
    author: z.string().optional().describe('Who wrote the action.'),
    inputs: z.record(name('an input'), inputSchema).optional().describe('Inputs of the action, given with `with:`; steps read them as inputs.<id> or INPUT_<ID>.'),
    outputs: z.record(name('an output'), outputSchema).optional().describe('Outputs of the action, read as steps.<id>.outputs.<name>.'),
    runs: runsSchema,
    branding: strictObject({ icon: z.string().optional().describe('A Feather icon name.'), color: z.string().optional().describe('The badge colour.') })
      .optional()
      .describe('How GitHub Marketplace shows the action. Accepted and ignored.'),
  },
  'expected a map with name, description and runs',
);

export type ActionManifest = z.output<typeof actionManifestSchema>;
/** `runs:` of an action manifest: composite steps, a Node.js program, or a Docker container. */
export type ActionRuns = ActionManifest['runs'];

/** Composite actions map each output to a value; Node.js and Docker actions set their outputs from their code. */
function checkOutputs(input: unknown): Problem[] {
  const manifest = asRecord(input);
  const using = asRecord(manifest?.runs)?.using;
  if (typeof using !== 'string' || !runtimes.includes(using)) return [];
  return Object.entries(asRecord(manifest?.outputs) ?? {}).flatMap(([id, raw]): Problem[] => {
    const output = asRecord(raw) ?? {};
    if (using === 'composite' && !('value' in output)) return [problemAt(['outputs', id], 'an output of a composite action needs a "value"', { hint: 'Set value: ${{ steps.<id>.outputs.<name> }}.', atKey: true })];
    if (using !== 'composite' && 'value' in output) return [problemAt(['outputs', id, 'value'], `only composite actions set "value"; a ${using} action sets its outputs from its code`, { atKey: true })];
    return [];
  });
}

/**
 * Parses an action manifest (action.yml or action.yaml) and reports every problem with file:line:col, as
 * SLW_WORKFLOW_INVALID: a local action is part of the workflows that use it. Pure: the caller reads the file.
 */
export function parseActionManifest(text: string, file: string): ParseResult<ActionManifest> {
  return parseDocumentWith(text, file, actionManifestSchema, { check: checkOutputs, defaultHint: 'Fix the action manifest at the position shown.' });
}

