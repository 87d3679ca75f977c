import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { evaluateValue, parseWorkflow, referencedContexts, SlipwayError, type ExpressionContext, type ExpressionValue } from '@slipway/core';
import { runWorkflow } from './run-workflow.js';
import type { Conclusion, RunWorkflowOptions, WorkflowResult } from './types.js';

const maxDepth = 4;

/**
 * A job that calls a reusable workflow (`uses: ./.slipway/workflows/x.yml`): its inputs come from `with:` (with the called
 * workflow's defaults and types), its secrets from `secrets:` or `inherit`, and its outputs from `on.workflow_call.outputs`.
 * `jobKey` is the calling job's id, with its matrix values when it has a matrix: it prefixes the called jobs' keys.
 */
export async function runCalledWorkflow(opts: RunWorkflowOptions, jobKey: string, spec: Record<string, unknown>, ctx: ExpressionContext, needs: Record<string, { result: Conclusion; outputs: Record<string, string> }>): Promise<WorkflowResult> {
  const uses = String(spec.uses);
  const depth = (opts.callDepth ?? 0) + 1;
  if (depth > maxDepth) throw new SlipwayError('SLW_WORKFLOW_INVALID', `reusable workflows nest deeper than ${maxDepth} levels at ${uses}`);
  if (!uses.startsWith('./')) throw new SlipwayError('SLW_ACTION_NOT_FOUND', `remote reusable workflow ${uses} is not available offline`, { hint: 'Use a workflow from this repository: uses: ./.slipway/workflows/<file>.yml' });
  const file = uses.slice(2).split('@')[0]!;
  const text = await readFile(resolve(opts.repoDir, file), 'utf8').catch(() => undefined);
  if (text === undefined) throw new SlipwayError('SLW_ACTION_NOT_FOUND', `reusable workflow ${file} does not exist in the repository`);
  const parsed = parseWorkflow(text, file);
  if (!parsed.value) throw parsed.errors[0]!;
  const called = parsed.value;
  const callSpec = (called.on as Record<string, unknown>).workflow_call as { inputs?: Record<string, { type?: string; required?: boolean; default?: unknown }>; secrets?: Record<string, { required?: boolean }> } | undefined;
  if (!callSpec) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${file} cannot be called: it has no on.workflow_call`);
  const given = (evaluateValue(spec.with ?? {}, { ...ctx, needs: needs as never }) ?? {}) as Record<string, ExpressionValue>;
  const inputs: Record<string, ExpressionValue> = {};
  for (const [name, def] of Object.entries(callSpec.inputs ?? {})) {
    const value = given[name] ?? (def.default as ExpressionValue | undefined);
    if (value === undefined) {
      if (def.required) throw new SlipwayError('SLW_WORKFLOW_INVALID', `jobs.${jobKey}: input "${name}" of ${file} is required`);
      continue;
    }
    inputs[name] = def.type === 'number' ? Number(value) : def.type === 'boolean' ? value === true || value === 'true' : value;
  }
  for (const name of Object.keys(given)) if (!(name in (callSpec.inputs ?? {}))) throw new SlipwayError('SLW_WORKFLOW_INVALID', `jobs.${jobKey}: ${file} has no input "${name}"`);
  const secrets = await calledSecrets(opts, spec, ctx);
  return runWorkflow({
    ...opts,
    workflow: called,
    file,
    inputs,
    secrets,
    onlyJobs: undefined,
    callPrefix: `${opts.callPrefix ?? ''}${jobKey} / `,
    callDepth: depth,
  });
}

/** `secrets: inherit` passes the caller's resolver on; a map passes only the named values. */
async function calledSecrets(opts: RunWorkflowOptions, spec: Record<string, unknown>, ctx: ExpressionContext): Promise<RunWorkflowOptions['secrets']> {
  if (spec.secrets === 'inherit') return opts.secrets;
  const map = (spec.secrets ?? {}) as Record<string, string>;
  const names = [...new Set(referencedContexts(JSON.stringify(map)).secrets)];
  const values = names.length ? await opts.secrets(names) : {};
  const resolved: Record<string, string> = {};
  for (const [name, expr] of Object.entries(map)) {
    const v = evaluateValue(expr, { ...ctx, secrets: values });
    if (v !== null && v !== undefined && v !== '') resolved[name] = String(v);
  }
  return async (wanted) => Object.fromEntries(wanted.filter((n) => n in resolved).map((n) => [n, resolved[n]!]));
}
