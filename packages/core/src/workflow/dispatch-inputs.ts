import type { ExpressionValue } from '../expressions/types.js';
import type { WorkflowDispatchInput } from './trigger-schema.js';

export interface DispatchInputs {
  /** The `inputs` context: booleans and numbers keep their types. */
  inputs: Record<string, ExpressionValue>;
  /** `github.event.inputs`: every value as a string, as GitHub's event payload has them. */
  eventInputs: Record<string, string>;
  /** What is wrong with the given values, one line each. */
  problems: string[];
}

/**
 * The inputs of a workflow_dispatch run as GitHub gives them to the workflow: the given values converted to the
 * declared types, the defaults of inputs not given, and choices checked against their options.
 */
export function resolveDispatchInputs(declared: Record<string, WorkflowDispatchInput> | undefined, given: Record<string, ExpressionValue>): DispatchInputs {
  const inputs: Record<string, ExpressionValue> = {};
  const problems: string[] = [];
  for (const [name, input] of Object.entries(declared ?? {})) {
    const raw = given[name] ?? (input.default as ExpressionValue | undefined);
    if (raw === undefined || raw === null) {
      if (input.required) problems.push(`input "${name}" is required`);
      continue;
    }
    const value = convert(input, raw);
    if (value === undefined) problems.push(`input "${name}" must be a ${input.type}, not ${JSON.stringify(raw)}`);
    else if (input.type === 'choice' && input.options && !input.options.includes(String(value))) problems.push(`input "${name}" must be one of ${input.options.join(', ')}, not ${JSON.stringify(raw)}`);
    else inputs[name] = value;
  }
  for (const name of Object.keys(given)) if (!declared || !(name in declared)) problems.push(`unexpected input "${name}"`);
  const eventInputs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)]));
  return { inputs, eventInputs, problems };
}

function convert(input: WorkflowDispatchInput, raw: ExpressionValue): ExpressionValue | undefined {
  if (input.type === 'boolean') return raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : undefined;
  if (input.type === 'number') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  return typeof raw === 'object' ? undefined : String(raw);
}
