import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMasker, evaluateValue, interpolate, referencedContexts, SlipwayError, toSlipwayError, type ContainerSpec, type ExpressionValue } from '@slipway/core';
import { releaseStepFiles } from './env-files.js';
import { hashFiles } from './hash-files.js';
import { jobContexts, type JobState } from './job-state.js';
import { executeStep } from './steps/execute-step.js';
import type { Conclusion, JobInstance, JobResult, RunWorkflowOptions } from './types.js';

export interface JobRunInput {
  opts: RunWorkflowOptions;
  job: JobInstance;
  spec: Record<string, unknown>;
  needs: JobState['needs'];
  strategy: Record<string, ExpressionValue>;
  signal: AbortSignal;
}

/** Secrets GitHub provides to every job; they are never an error when absent. */
const implicitSecrets = new Set(['GITHUB_TOKEN']);

/**
 * Runs one job instance: prepares its environment (workspace, or job container and services), resolves only the secrets
 * it references, runs its steps and post steps, evaluates its outputs, and always disposes of what it made.
 */
export async function runJob(input: JobRunInput): Promise<JobResult> {
  const { opts, job, spec } = input;
  const started = Date.now();
  const id = `${opts.github.runId}-${opts.github.runAttempt}-${job.key}`.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 100);
  const workspace = join(opts.workRoot, id, 'workspace');
  const temp = join(opts.workRoot, id, 'temp');
  const masker = createMasker();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  input.signal.addEventListener('abort', onAbort, { once: true });
  const result = (conclusion: Conclusion, outputs: Record<string, string> = {}, error: string | null = null): JobResult => ({ job, conclusion, outputs, durationMs: Date.now() - started, error: error ? masker.mask(error) : null });
  opts.reporter.jobStarted(job);
  let state: JobState | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const secrets = await resolveSecrets(opts, job, spec);
    for (const v of Object.values(secrets)) masker.add(v);
    await mkdir(workspace, { recursive: true });
    if (opts.seedWorkspace) await opts.checkout(workspace);
    await mkdir(join(temp, '_github_workflow'), { recursive: true });
    await writeFile(join(temp, '_github_workflow', 'event.json'), JSON.stringify(opts.github.event));
    const baseCtx = { github: {}, env: {}, vars: opts.vars ?? {}, inputs: opts.inputs ?? {}, matrix: job.matrix ?? {}, needs: input.needs as never, strategy: input.strategy, secrets } as never;
    const container = normalizeContainer(evaluateValue(spec.container, baseCtx));
    const services = Object.fromEntries(Object.entries((evaluateValue(spec.services ?? {}, baseCtx) ?? {}) as Record<string, unknown>).map(([k, v]) => [k, normalizeContainer(v)!]));
    const executor = opts.executorForJob?.({ container, services, runsOn: evaluateValue(spec['runs-on'], baseCtx) }) ?? opts.executor;
    const jobEnv = await executor.prepareJob({ id, workspace, temp, ...(container ? { container } : {}), ...(Object.keys(services).length ? { services } : {}) }, controller.signal);
    state = {
      opts,
      job,
      spec,
      jobEnv,
      workspace,
      temp,
      env: {},
      path: [],
      steps: {},
      status: 'success',
      masker,
      secrets,
      needs: input.needs,
      strategy: input.strategy,
      post: [],
      signal: controller.signal,
      stepCounter: 0,
      hashFiles: (patterns: string[]) => hashFiles(workspace, patterns),
    };
    const ctx = jobContexts(state);
    for (const [k, v] of Object.entries({ ...((evaluateValue(opts.workflow.env ?? {}, ctx) ?? {}) as object), ...((evaluateValue(spec.env ?? {}, ctx) ?? {}) as object) })) state.env[k] = String(v ?? '');
    const timeoutMin = Number(evaluateValue(spec['timeout-minutes'] ?? 360, ctx));
    timer = setTimeout(() => {
      opts.reporter.log(job, null, { stream: 'system', text: `job timed out after ${timeoutMin} minutes` });
      controller.abort();
    }, timeoutMin * 60_000);
    timer.unref();
    await runSteps(state);
    const finalCtx = jobContexts(state);
    const outputs: Record<string, string> = {};
    for (const [name, expr] of Object.entries((spec.outputs ?? {}) as Record<string, string>)) outputs[name] = masker.mask(interpolate(String(expr), finalCtx));
    const conclusion: Conclusion = controller.signal.aborted ? 'cancelled' : state.status === 'success' ? 'success' : 'failure';
    return result(conclusion, outputs, conclusion === 'failure' ? 'a step failed' : conclusion === 'cancelled' ? 'cancelled' : null);
  } catch (err) {
    const e = toSlipwayError(err);
    opts.reporter.log(job, null, { stream: 'system', text: masker.mask(e.format()) });
    return result(controller.signal.aborted ? 'cancelled' : 'failure', {}, e.message);
  } finally {
    if (timer) clearTimeout(timer);
    input.signal.removeEventListener('abort', onAbort);
    await releaseStepFiles(temp);
    await state?.jobEnv.dispose().catch(() => {});
    await rm(join(opts.workRoot, id), { recursive: true, force: true }).catch(() => {});
  }
}

async function runSteps(state: JobState): Promise<void> {
  const steps = (state.spec.steps ?? []) as Record<string, unknown>[];
  const defaults = ((state.spec.defaults as { run?: Record<string, string> } | undefined)?.run ?? (state.opts.workflow.defaults as { run?: Record<string, string> } | undefined)?.run ?? {}) as Record<string, string>;
  const scope = { steps: state.steps, extra: {}, defaults: { shell: defaults.shell, workingDirectory: defaults['working-directory'] }, env: {}, where: { file: state.opts.file, path: `jobs.${state.job.jobId}.steps` }, depth: 0 };
  for (const [index, def] of steps.entries()) {
    const instance = { index, id: typeof def.id === 'string' ? def.id : null, name: stepName(def, index), phase: 'main' as const };
    state.opts.reporter.stepStarted(state.job, instance);
    const r = await executeStep(state, def, index, instance, scope);
    if (r.conclusion === 'failure') state.status = 'failure';
    if (r.conclusion === 'cancelled') state.status = 'cancelled';
    state.opts.reporter.stepFinished(state.job, instance, r);
  }
  for (const [i, post] of state.post.entries()) {
    const instance = { index: steps.length + i, id: null, name: post.name, phase: 'post' as const };
    state.opts.reporter.stepStarted(state.job, instance);
    const t = Date.now();
    let ok = true;
    try {
      await post.run(instance);
    } catch (err) {
      ok = false;
      state.opts.reporter.log(state.job, instance, { stream: 'system', text: state.masker.mask(toSlipwayError(err).message) });
    }
    state.opts.reporter.stepFinished(state.job, instance, { outcome: ok ? 'success' : 'failure', conclusion: ok ? 'success' : 'failure', exitCode: ok ? 0 : 1, outputs: {}, durationMs: Date.now() - t });
  }
}

/** The name GitHub shows for a step: its name, `Run <first line>` or the action it uses. */
export function stepName(def: Record<string, unknown>, index: number): string {
  if (typeof def.name === 'string') return def.name;
  if (typeof def.run === 'string') return `Run ${def.run.trim().split('\n')[0]!.slice(0, 60)}`;
  if (typeof def.uses === 'string') return `Run ${def.uses}`;
  return `Step ${index + 1}`;
}

/** Resolves the secrets the job's text references; a referenced secret that is not set fails the job, naming it. */
async function resolveSecrets(opts: RunWorkflowOptions, job: JobInstance, spec: Record<string, unknown>): Promise<Record<string, string>> {
  const names = [...new Set(referencedContexts(JSON.stringify(spec)).secrets)];
  if (names.length === 0) return {};
  if (opts.secretsWithheld) {
    // As GitHub does for pull requests from forks: the secrets read as empty, and the job says why.
    opts.reporter.log(job, null, { stream: 'system', text: `secrets are not given to this run (${opts.secretsWithheld}): ${names.join(', ')} read as empty` });
    return Object.fromEntries(names.map((n) => [n, '']));
  }
  const found = await opts.secrets(names);
  const missing = names.filter((n) => found[n] === undefined && !implicitSecrets.has(n.toUpperCase()));
  if (missing.length > 0) {
    throw new SlipwayError('SLW_SECRET_MISSING', `the job needs secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`);
  }
  return found;
}

function normalizeContainer(value: unknown): ContainerSpec | undefined {
  if (!value) return undefined;
  if (typeof value === 'string') return { image: value };
  const v = value as Record<string, unknown>;
  return {
    image: String(v.image),
    ...(v.env ? { env: Object.fromEntries(Object.entries(v.env as object).map(([k, x]) => [k, String(x)])) } : {}),
    ...(v.ports ? { ports: (v.ports as unknown[]).map(String) } : {}),
    ...(v.volumes ? { volumes: (v.volumes as unknown[]).map(String) } : {}),
    ...(v.options ? { options: String(v.options) } : {}),
    ...(v.entrypoint ? { entrypoint: String(v.entrypoint) } : {}),
    ...(v.command ? { command: String(v.command) } : {}),
  };
}
