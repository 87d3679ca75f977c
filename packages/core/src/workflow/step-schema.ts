import { z } from 'zod';
import { asRecord, checked, type Report } from './checked-schema.js';
import { booleanOrExpression, condition, envMap, idPattern, nonEmpty, positiveNumberOrExpression, scalarString, shellSchema, strictObject } from './schema-primitives.js';

/** Why a step's `uses:` cannot name an action, or undefined when it can. */
function usesProblem(uses: string): string | undefined {
  // An empty value is reported once, by the non-empty check.
  if (uses === '' || uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const at = uses.lastIndexOf('@');
  const [owner, repo] = uses.slice(0, at > 0 ? at : undefined).split('/');
  if (!owner || !repo) return `"${uses}" is not an action; use ./path/to/action, owner/repo@ref or docker://image`;
  if (at <= 0 || at === uses.length - 1) return `"${uses}" needs a version after "@", for example ${owner}/${repo}@v4`;
  return undefined;
}

const stepShape = {
  id: z.string().regex(idPattern, 'a step id starts with a letter or _ and holds only letters, digits, - and _').optional().describe('Names the step in the steps context: steps.<id>.outputs, steps.<id>.outcome.'),
  name: z.string().optional().describe('The name shown for the step. Default: the command or the action.'),
  if: condition.optional().describe('Run the step only when this condition holds. Default: success().'),
  run: z.string().optional().describe('The script to run with the shell.'),
  uses: nonEmpty
    .superRefine((uses, ctx) => {
      const problem = usesProblem(uses);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe('The action to run: ./path (in the repository), owner/repo@ref, owner/repo/path@ref or docker://image.'),
  shell: shellSchema.optional().describe('The shell of a run step: bash, sh, pwsh, powershell, python, node, cmd, or a command with {0} for the script file.'),
  'working-directory': nonEmpty.optional().describe('The directory a run step runs in, relative to the workspace.'),
  with: z.record(nonEmpty, scalarString).optional().describe('Inputs of the action, as strings.'),
  env: envMap.optional().describe('Environment variables of the step, on top of those of the job and the workflow.'),
  'continue-on-error': booleanOrExpression.optional().describe('Let the job go on when the step fails.'),
  'timeout-minutes': positiveNumberOrExpression.optional().describe('Minutes before the step is killed.'),
};

/** A step runs either a script or an action; some keys apply to one kind only. */
function checkStep(composite: boolean) {
  return (raw: unknown, report: Report): void => {
    const step = asRecord(raw);
    if (!step) return;
    const isRun = 'run' in step;
    const isUses = 'uses' in step;
    if (isRun && isUses) report(['uses'], 'a step has either "run" or "uses", not both', { atKey: true, hint: 'Split it into two steps.' });
    if (!isRun && !isUses) report([], 'a step needs "run" or "uses"', { hint: 'Add run: with a command, or uses: with an action.' });
    if (isRun && !isUses && 'with' in step) report(['with'], '"with" passes inputs to an action; a "run" step has none', { atKey: true, hint: 'Pass values to a run step with env:.' });
    if (isUses && !isRun) {
      for (const key of ['shell', 'working-directory']) if (key in step) report([key], `"${key}" applies only to "run" steps`, { atKey: true });
    }
    // Composite actions have no defaults.run, so GitHub requires the shell on every run step.
    if (composite && isRun && !('shell' in step)) report(['run'], 'a "run" step of a composite action needs "shell"', { atKey: true, hint: 'Add shell: bash (or sh, pwsh, python, …).' });
  };
}

/** One step of a job: `run` a script, or `uses` an action. */
export const workflowStepSchema = checked(strictObject(stepShape, 'expected a map with run or uses'), checkStep(false)).describe('A step: run a script, or use an action.');

/** One step of a composite action: as a job's step, with `shell` required for `run` and no `timeout-minutes`. */
const { 'timeout-minutes': _timeout, ...compositeStepShape } = stepShape;
export const compositeStepSchema = checked(strictObject(compositeStepShape, 'expected a map with run or uses'), checkStep(true)).describe(
  'A step of a composite action.',
);

/** One step of a job. */
export type WorkflowStep = z.output<typeof workflowStepSchema>;

/** Reports steps whose `id` repeats an earlier one: `steps.<id>` must name one step. */
export function checkStepIds(steps: unknown, report: Report): void {
  if (!Array.isArray(steps)) return;
  const seen = new Map<string, number>();
  steps.forEach((step, i) => {
    const id = asRecord(step)?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id.toLowerCase());
    if (first === undefined) seen.set(id.toLowerCase(), i);
    else report([i, 'id'], `step id "${id}" is already used by step ${first + 1}`, { hint: 'Give every step its own id: steps.<id> names one step.' });
  });
}
