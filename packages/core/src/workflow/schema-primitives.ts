import { z } from 'zod';

/**
 * Building blocks shared by the workflow and action-manifest schemas. GitHub Actions accepts many shorthands (a string
 * or a list, a value or an expression); these helpers accept them once, in one place, with messages that name both forms.
 */

/** Ids of jobs, steps, inputs and outputs: a letter or `_`, then letters, digits, `-` and `_` (as GitHub requires). */
export const idPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Whether a string holds an expression `${{ … }}`. */
export function hasExpression(value: string): boolean {
  return /\$\{\{[\s\S]*?\}\}/.test(value);
}

/**
 * The prefix of the message zod gives an unknown key in a {@link strictObject}. The issue formatter reads the valid
 * keys back from it for its did-you-mean hint, because a zod issue does not say which schema raised it.
 */
export const validKeysPrefix = 'valid keys: ';

/** An object whose unknown keys are errors that list the valid keys. `typeError` replaces the message for a non-map. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, typeError?: string) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${validKeysPrefix}${keys}` : issue.code === 'invalid_type' && issue.input !== undefined ? typeError : undefined),
  });
}

/** A non-empty string. */
export const nonEmpty = z.string().min(1, 'must not be empty');

/** A string or a list of strings, always given back as a list. */
export const stringList = z.union([nonEmpty, z.array(nonEmpty)], { error: 'expected a string or a list of strings' }).transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * A YAML scalar (string, number or boolean), given back as a string: environment variables and action inputs are
 * strings. A key written without a value (`NAME:`) is the empty string.
 */
export const scalarString = z
  .union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string, a number or a boolean' })
  .transform((v) => (v === null ? '' : String(v)));

/** `env:` at any level: names to string values (numbers and booleans are written as strings). */
export const envMap = z.record(nonEmpty, scalarString);

/** A string that must hold an expression, as the alternative to a typed value. */
export function expressionString(what: string) {
  return z.string().refine(hasExpression, { error: `expected ${what} or an expression \${{ … }}` });
}

/** A number (greater than zero) or an expression, as `timeout-minutes` and `max-parallel` take. */
export const positiveNumberOrExpression = z.union([z.number().positive('must be greater than 0'), expressionString('a number')], { error: 'expected a number or an expression ${{ … }}' });

/** A boolean or an expression, as `continue-on-error` and `fail-fast` take. */
export const booleanOrExpression = z.union([z.boolean(), expressionString('true, false')], { error: 'expected true, false or an expression ${{ … }}' });

/** An `if:` condition: an expression with or without `${{ }}`, or a literal boolean. */
export const condition = z.union([z.string(), z.boolean()], { error: 'expected a condition (an expression) or a boolean' });

/** The GitHub Actions shell keywords Slipway knows; anything else must be a command template with `{0}`. */
const shellKeywords = ['bash', 'sh', 'pwsh', 'powershell', 'python', 'node', 'cmd'] as const;

/** `shell:` a keyword, or a custom command template with `{0}` for the script file (GitHub's custom shell syntax). */
export const shellSchema = z.string().refine((s) => (shellKeywords as readonly string[]).includes(s) || s.includes('{0}'), {
  error: (issue) => `unknown shell ${JSON.stringify(issue.input)}`,
  params: { hint: `Use ${shellKeywords.join(', ')}, or a command with {0} for the script file, for example "perl {0}".` },
});

/** `permissions:` accepted for compatibility and ignored: Slipway does not issue GitHub tokens. */
export const permissionsSchema = z
  .union([z.string(), z.record(z.string(), z.string())], { error: 'expected read-all, write-all or a map of scopes to read, write or none' })
  .describe('Permissions of the GITHUB_TOKEN. Accepted for compatibility with GitHub Actions and ignored.');

/** `concurrency:` a group name, or a group with `cancel-in-progress`; given back as an object. */
export const concurrencySchema = z
  .union(
    [
      nonEmpty.transform((group) => ({ group })),
      strictObject({
        group: nonEmpty.describe('Runs and jobs in the same group run one at a time.'),
        'cancel-in-progress': booleanOrExpression.optional().describe('Cancel the run or job in progress in the group when a new one is queued.'),
      }),
    ],
    { error: 'expected a group name or a map with group and cancel-in-progress' },
  )
  .describe('Only one run or job of a concurrency group runs at a time.');

/** `defaults:` for the `run` steps of a workflow or job. */
export const defaultsSchema = strictObject({
  run: strictObject({
    shell: shellSchema.optional().describe('The default shell of run steps.'),
    'working-directory': nonEmpty.optional().describe('The default working directory of run steps, relative to the workspace.'),
  })
    .optional()
    .describe('Defaults of run steps.'),
}).describe('Default settings of run steps.');
