import { evaluateCondition, evaluateValue, interpolate, toSlipwayError, type ExpressionContext } from '@slipway/core';
import { baseStepEnv, jobContexts, stepStatus, type JobState, type StepRecord } from '../job-state.js';
import type { Conclusion, StepInstance, StepResult } from '../types.js';
import { runScriptStep } from './run-step.js';
import { runUsesStep } from './uses-step.js';

/** Where a list of steps runs: the job itself, or a composite action inside one of its steps. */
export interface StepScope {
  /** The `steps` context of this scope (a composite action has its own). */
  steps: Record<string, StepRecord>;
  /** Contexts that differ in this scope (`inputs` of a composite action). */
  extra: Partial<ExpressionContext>;
  defaults: { shell?: string; workingDirectory?: string };
  /** Env of the scope, under the step's own env (a composite action's caller step env). */
  env: Record<string, string>;
  /** For error messages: `jobs.build.steps` or `./my-action/action.yml runs.steps`. */
  where: { file: string; path: string };
  /** Composite actions need `shell` on run steps. */
  requireShell?: boolean;
  depth: number;
}

const defaultTimeoutMinutes = 360;

/**
 * Runs one step: its `if`, its env, then `run` or `uses`; applies `continue-on-error` and `timeout-minutes`.
 * Returns the result and records outcome, conclusion and outputs under the step's id.
 */
export async function executeStep(state: JobState, def: Record<string, unknown>, index: number, instance: StepInstance, scope: StepScope): Promise<StepResult> {
  const started = Date.now();
  const path = `${scope.where.path}[${index}]`;
  const contexts = () => jobContexts(state, { ...scope.extra, steps: scope.steps as never });
  const options = (sub: string) => ({ status: stepStatus(state), where: { file: scope.where.file, path: `${path}.${sub}` }, hashFiles: (p: string[]) => state.hashFiles(p) });
  const finish = (outcome: Conclusion, conclusion: Conclusion, exitCode: number | null, outputs: Record<string, string>): StepResult => {
    const id = typeof def.id === 'string' ? def.id : null;
    if (id) scope.steps[id] = { outputs, outcome, conclusion };
    return { outcome, conclusion, exitCode, outputs, durationMs: Date.now() - started };
  };
  const log = (text: string) => state.opts.reporter.log(state.job, instance, { stream: 'system', text });
  try {
    const cond = def.if as string | boolean | undefined;
    if (!evaluateCondition(cond, contexts(), options('if'))) {
      log(`skipped: if ${typeof cond === 'string' ? cond : String(cond ?? 'success()')} is false`);
      return finish('skipped', 'skipped', null, {});
    }
    const ctx = contexts();
    const stepEnv = (evaluateValue(def.env ?? {}, ctx, options('env')) ?? {}) as Record<string, unknown>;
    const env: Record<string, string> = { ...baseStepEnv(state, typeof def.id === 'string' ? def.id : `__${index}`), ...state.env, ...scope.env };
    for (const [k, v] of Object.entries(stepEnv)) env[k] = stringify(v);
    const ctxWithEnv = { ...ctx, env: { ...(ctx.env as object), ...scope.env, ...Object.fromEntries(Object.entries(stepEnv).map(([k, v]) => [k, stringify(v)])) } } as ExpressionContext;
    const timeoutMin = Number(evaluateValue(def['timeout-minutes'] ?? defaultTimeoutMinutes, ctxWithEnv, options('timeout-minutes')));
    const continueOnError = evaluateValue(def['continue-on-error'] ?? false, ctxWithEnv, options('continue-on-error')) === true || def['continue-on-error'] === 'true';
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    state.signal.addEventListener('abort', onAbort, { once: true });
    let result: { exitCode: number; outputs: Record<string, string> };
    try {
      if (typeof def.run === 'string') {
        const shell = (def.shell as string | undefined) ?? scope.defaults.shell;
        if (scope.requireShell && !def.shell) {
          log('a run step in a composite action needs "shell"');
          return finish('failure', continueOnError ? 'success' : 'failure', 1, {});
        }
        result = await runScriptStep(
          state,
          instance,
          {
            run: def.run,
            ...(shell ? { shell } : {}),
            ...((def['working-directory'] ?? scope.defaults.workingDirectory) ? { workingDirectory: String(def['working-directory'] ?? scope.defaults.workingDirectory) } : {}),
            env,
            timeoutMs: timeoutMin * 60_000,
            contexts: ctxWithEnv,
            where: { file: scope.where.file, path: `${path}.run` },
          },
          controller.signal,
        );
      } else {
        const withInputs = (evaluateValue(def.with ?? {}, ctxWithEnv, options('with')) ?? {}) as Record<string, unknown>;
        result = await runUsesStep(state, instance, { uses: interpolate(String(def.uses), ctxWithEnv), with: Object.fromEntries(Object.entries(withInputs).map(([k, v]) => [k, stringify(v)])), env, timeoutMs: timeoutMin * 60_000, depth: scope.depth }, controller.signal);
      }
    } finally {
      state.signal.removeEventListener('abort', onAbort);
    }
    if (result.exitCode === 0) return finish('success', 'success', 0, result.outputs);
    if (state.signal.aborted) return finish('cancelled', 'cancelled', result.exitCode, result.outputs);
    log(`exit code ${result.exitCode}${continueOnError ? ' (continue-on-error: the job goes on)' : ''}`);
    return finish('failure', continueOnError ? 'success' : 'failure', result.exitCode, result.outputs);
  } catch (err) {
    const e = toSlipwayError(err);
    log(state.masker.mask(e.format()));
    return finish('failure', 'failure', null, {});
  }
}

/** Env values and `with:` inputs are strings; GitHub prints numbers and booleans as written and objects as JSON. */
export function stringify(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
