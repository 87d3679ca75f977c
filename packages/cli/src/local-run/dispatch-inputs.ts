import { closest, resolveDispatchInputs, SlipwayError, type ExpressionValue, type WorkflowDispatchInput } from '@slipway/core';

/**
 * The `inputs` of a workflow_dispatch run (typed, defaulted, choices checked, by core's resolveDispatchInputs), checked
 * before anything runs: a wrong, unknown or missing input is a usage error that names the workflow, suggests a close
 * name and lists what the workflow takes. Pure.
 */
export function checkDispatchInputs(declared: Record<string, WorkflowDispatchInput> | undefined, given: Record<string, string>, file: string): Record<string, ExpressionValue> {
  const r = resolveDispatchInputs(declared, given);
  if (r.problems.length === 0) return r.inputs;
  const names = Object.keys(declared ?? {});
  const suggestions = Object.keys(given)
    .filter((n) => !names.includes(n))
    .map((n) => closest(n, names))
    .filter((n): n is string => n !== undefined);
  const takes = names.length > 0 ? `${file} takes ${names.map((n) => describe(n, declared![n]!)).join(', ')}` : `${file} declares no inputs under on.workflow_dispatch.inputs`;
  throw new SlipwayError('SLW_USAGE', `${file}: ${r.problems.join('; ')}${suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`, { hint: `${takes}. Pass each with --input name=value.` });
}

function describe(name: string, input: WorkflowDispatchInput): string {
  const type = input.type === 'choice' && input.options ? input.options.join('|') : input.type;
  return `${name} (${type}${input.required && input.default === undefined ? ', required' : ''})`;
}
