import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { evaluateCondition, evaluateValue, interpolate, parseActionManifest, SlipwayError, type ExpressionContext, type ExpressionValue } from '@slipway/core';
import { resolveAction, manifestPath } from '../actions/resolve-action.js';
import { runBuiltinAction } from '../actions/builtin-actions.js';
import { stageActionDir } from '../actions/stage-action.js';
import { jobContexts, stepStatus, type JobState, type StepRecord } from '../job-state.js';
import type { StepInstance } from '../types.js';
import { execStep, type ExecResult } from './exec-step.js';
import { executeStep, stringify } from './execute-step.js';

export interface UsesSpec {
  uses: string;
  with: Record<string, string>;
  env: Record<string, string>;
  timeoutMs: number;
  depth: number;
}

const maxDepth = 10;

/** A `uses:` step: a built-in action, a local or cached JavaScript action, or a composite action. */
export async function runUsesStep(state: JobState, step: StepInstance, spec: UsesSpec, signal: AbortSignal): Promise<ExecResult> {
  if (spec.depth > maxDepth) throw new SlipwayError('SLW_WORKFLOW_INVALID', `composite actions nest deeper than ${maxDepth} levels at ${spec.uses}`);
  const resolved = resolveAction(spec.uses, { workspace: state.workspace, repoDir: state.opts.repoDir, actionCacheDir: state.opts.actionCacheDir });
  if (resolved.kind === 'builtin') return runBuiltinAction(state, step, resolved.name, spec.with, signal);
  const dir = await stageActionDir(state, resolved.dir, resolved.display);
  const file = manifestPath(dir)!;
  const parsed = parseActionManifest(await readFile(file, 'utf8'), file);
  if (!parsed.value) throw parsed.errors[0]!;
  const manifest = parsed.value;
  const ctx = jobContexts(state);
  // Inputs: what `with:` gives, else the manifest's default (which may use expressions).
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(manifest.inputs ?? {})) {
    const given = spec.with[name] ?? spec.with[name.toLowerCase()];
    if (given !== undefined) inputs[name] = given;
    else if (input.default !== undefined) inputs[name] = stringify(evaluateValue(input.default, ctx));
    else if (input.required) state.opts.reporter.log(state.job, step, { stream: 'system', text: `warning: input "${name}" of ${spec.uses} is required but not given` });
  }
  for (const [name, value] of Object.entries(spec.with)) if (!(name in inputs)) inputs[name] = value;
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
  const runs = manifest.runs;
  if (runs.using === 'composite') return runComposite(state, step, spec, dir, file, runs.steps as Record<string, unknown>[], inputs, manifest.outputs ?? {}, signal);
  if (runs.using !== 'docker') {
    const env = { ...spec.env, ...inputEnv, GITHUB_ACTION_PATH: dir };
    const node = (script: string, extraEnv: Record<string, string>, s: StepInstance, sig: AbortSignal) =>
      execStep(state, s, { script: `import(${JSON.stringify(pathToFileURL(`${dir}/${script}`).href)}).catch((e) => { console.error(e); process.exit(1); });\n`, shell: 'node', cwd: state.workspace, env: { ...env, ...extraEnv }, timeoutMs: spec.timeoutMs }, sig);
    const result = await node(String(runs.main), {}, step, signal);
    if (runs.post) {
      const post = String(runs.post);
      const postIf = runs['post-if'] ?? 'always()';
      // The post script runs after the job's steps, last registered first, with what main saved to GITHUB_STATE as STATE_*.
      const stateEnv = Object.fromEntries(Object.entries(result.state).map(([k, v]) => [`STATE_${k}`, v]));
      state.post.unshift({
        name: `Post ${step.name}`,
        run: async (postStep) => {
          if (!evaluateCondition(postIf, jobContexts(state), { status: stepStatus(state), where: { file, path: 'runs.post-if' } })) return;
          const r = await node(post, stateEnv, postStep, state.signal);
          if (r.exitCode !== 0) throw new SlipwayError('SLW_RUN_FAILED', `post script of ${spec.uses} exited with code ${r.exitCode}`);
        },
      });
    }
    return result;
  }
  throw new SlipwayError('SLW_ACTION_NOT_FOUND', `${spec.uses}: actions that run "${runs.using}" are not supported yet`, { hint: 'Use a composite or JavaScript action, or a run step.' });
}

async function runComposite(state: JobState, step: StepInstance, spec: UsesSpec, dir: string, file: string, steps: Record<string, unknown>[], inputs: Record<string, string>, outputs: Record<string, { value?: string }>, signal: AbortSignal): Promise<ExecResult> {
  const scopeSteps: Record<string, StepRecord> = {};
  // The action's own directory, as github.action_path and GITHUB_ACTION_PATH, so that its steps can run its scripts.
  const github = { ...(jobContexts(state).github as Record<string, ExpressionValue>), action_path: dir };
  const scope = { steps: scopeSteps, extra: { inputs, github } as Partial<ExpressionContext>, defaults: {}, env: { ...spec.env, GITHUB_ACTION_PATH: dir }, where: { file, path: 'runs.steps' }, requireShell: true, depth: spec.depth + 1 };
  let failed = false;
  // Inside the action, a failed step makes the later ones skip (success() is false); the caller decides what the failure means for the job.
  const before = state.status;
  try {
    for (const [i, def] of steps.entries()) {
      if (signal.aborted) break;
      const result = await executeStep(state, def, i, step, scope);
      if (result.conclusion === 'failure') {
        failed = true;
        state.status = 'failure';
      }
    }
  } finally {
    state.status = before;
  }
  const ctx = jobContexts(state, { inputs, steps: scopeSteps as never });
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries(outputs)) if (o.value !== undefined) out[name] = interpolate(o.value, ctx);
  return { exitCode: failed ? 1 : signal.aborted ? 137 : 0, outputs: out, state: {} };
}
