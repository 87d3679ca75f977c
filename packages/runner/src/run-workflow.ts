import { setMaxListeners } from 'node:events';
import { evaluateCondition, evaluateValue, interpolate, resolveDispatchInputs, SlipwayError, toSlipwayError, type ExpressionContext } from '@slipway/core';
import { planJobGroup } from './job-plan.js';
import { runCalledWorkflow } from './reusable.js';
import { jobConcurrency, processGate } from './concurrency-gate.js';
import { runJob } from './run-job.js';
import type { Conclusion, JobInstance, JobResult, RunWorkflowOptions, WorkflowResult } from './types.js';

type NeedResult = { result: Conclusion; outputs: Record<string, string> };

/**
 * Runs a workflow: jobs in `needs` order (a DAG), each job's `if` with the implicit success(), matrix jobs with
 * fail-fast and max-parallel, reusable workflow calls, and at most `maxParallelJobs` job instances at once.
 */
export async function runWorkflow(given: RunWorkflowOptions): Promise<WorkflowResult> {
  const opts = withDispatchInputs(given);
  const jobs = opts.workflow.jobs as unknown as Record<string, Record<string, unknown>>;
  const selected = new Set(opts.onlyJobs && opts.onlyJobs.length > 0 ? opts.onlyJobs : Object.keys(jobs));
  const done = new Map<string, NeedResult>(Object.entries(opts.completed ?? {}).filter(([id]) => selected.has(id)));
  const all: JobResult[] = [];
  const slots = createSemaphore(opts.maxParallelJobs ?? 4);
  const needsOf = (id: string) => {
    const n = jobs[id]!.needs;
    return (Array.isArray(n) ? n : n ? [n] : []).map(String).filter((x) => selected.has(x));
  };
  const running = new Map<string, Promise<void>>();
  // One listener on the caller's signal for every job group, rather than one per group (a wide graph has many).
  const groups = new Set<AbortController>();
  const abortGroups = () => groups.forEach((g) => g.abort());
  opts.signal.addEventListener('abort', abortGroups, { once: true });
  const pending = new Set([...selected].filter((id) => jobs[id] && !done.has(id)));
  while (pending.size > 0 || running.size > 0) {
    for (const id of [...pending]) {
      if (!needsOf(id).every((n) => done.has(n))) continue;
      pending.delete(id);
      const p = runGroup(id).then((r) => {
        done.set(id, r);
        running.delete(id);
      });
      running.set(id, p);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  async function runGroup(id: string): Promise<NeedResult> {
    const spec = jobs[id]!;
    const needs = Object.fromEntries(needsOf(id).map((n) => [n, done.get(n)!]));
    const ctx = baseContext(opts, needs);
    const needResults = Object.values(needs).map((n) => n.result);
    const status = {
      success: () => needResults.every((r) => r === 'success') && !opts.signal.aborted,
      failure: () => needResults.some((r) => r === 'failure'),
      cancelled: () => opts.signal.aborted,
    };
    const skip = (why: string): NeedResult => {
      const job = { jobId: id, key: `${opts.callPrefix ?? ''}${id}`, name: `${opts.callPrefix ?? ''}${typeof spec.name === 'string' && !spec.name.includes('${{') ? spec.name : id}`, matrix: null };
      opts.reporter.jobQueued?.(job);
      opts.reporter.log(job, null, { stream: 'system', text: why });
      const r: JobResult = { job, conclusion: 'skipped', outputs: {}, durationMs: 0, error: null };
      opts.reporter.jobFinished(r);
      all.push(r);
      return { result: 'skipped', outputs: {} };
    };
    try {
      if (!evaluateCondition(spec.if as string | boolean | undefined, ctx, { status, where: { file: opts.file, path: `jobs.${id}.if` } })) {
        return skip(spec.if === undefined ? `skipped: a job it needs did not succeed` : `skipped: if ${String(spec.if)} is false`);
      }
      if (typeof spec.uses === 'string') {
        // The call takes no slot itself: its jobs do, and holding one here could deadlock a small pool. With a matrix,
        // the workflow is called once per combination, each with its own matrix and strategy contexts.
        const plan = planJobGroup(id, spec, ctx);
        const calls = await Promise.all(plan.instances.map((job, index) => runCalledWorkflow(opts, job.key, spec, { ...ctx, matrix: job.matrix ?? {}, strategy: plan.strategy(index) } as ExpressionContext, needs)));
        for (const r of calls) all.push(...r.jobs);
        const result: Conclusion = calls.some((r) => r.conclusion === 'failure') ? 'failure' : calls.some((r) => r.conclusion === 'cancelled') ? 'cancelled' : 'success';
        return { result, outputs: Object.assign({}, ...calls.map((r) => Object.fromEntries(Object.entries(r.outputs).filter(([, v]) => v !== '')))) };
      }
      const plan = planJobGroup(id, spec, ctx, opts.callPrefix ?? '');
      const group = new AbortController();
      // Every instance of the group (a matrix may have 256) listens to this signal: that is expected, not a leak.
      setMaxListeners(0, group.signal);
      groups.add(group);
      if (opts.signal.aborted) group.abort();
      const perGroup = createSemaphore(plan.maxParallel);
      plan.instances.forEach((job) => opts.reporter.jobQueued?.(job));
      const results = await Promise.all(
        plan.instances.map((job, index) =>
          perGroup.run(() =>
            slots.run(async () => {
              if (group.signal.aborted) {
                const r: JobResult = { job, conclusion: 'cancelled', outputs: {}, durationMs: 0, error: 'cancelled by fail-fast' };
                opts.reporter.jobFinished(r);
                return r;
              }
              const r = await runGated(opts, job, spec, { ...ctx, matrix: job.matrix ?? {} } as ExpressionContext, group.signal, (signal) => runJob({ opts, job, spec, needs, strategy: plan.strategy(index), signal }));
              const continueOnError = evaluateValue(spec['continue-on-error'] ?? false, { ...ctx, matrix: job.matrix ?? {} }) === true;
              const effective: JobResult = r.conclusion === 'failure' && continueOnError ? { ...r, conclusion: 'success' } : r;
              opts.reporter.jobFinished(effective);
              if (effective.conclusion === 'failure' && plan.failFast) group.abort();
              return effective;
            }),
          ),
        ),
      );
      groups.delete(group);
      all.push(...results);
      const conclusion: Conclusion = results.some((r) => r.conclusion === 'failure') ? 'failure' : results.some((r) => r.conclusion === 'cancelled') ? 'cancelled' : 'success';
      // With a matrix, GitHub keeps the outputs of whichever instance set them last.
      const outputs = Object.assign({}, ...results.map((r) => Object.fromEntries(Object.entries(r.outputs).filter(([, v]) => v !== ''))));
      return { result: conclusion, outputs };
    } catch (err) {
      const e = toSlipwayError(err);
      const job = { jobId: id, key: `${opts.callPrefix ?? ''}${id}`, name: `${opts.callPrefix ?? ''}${id}`, matrix: null };
      opts.reporter.jobStarted(job);
      opts.reporter.log(job, null, { stream: 'system', text: e.format() });
      const r: JobResult = { job, conclusion: 'failure', outputs: {}, durationMs: 0, error: e.message };
      opts.reporter.jobFinished(r);
      all.push(r);
      return { result: 'failure', outputs: {} };
    }
  }

  opts.signal.removeEventListener('abort', abortGroups);
  const conclusion: Conclusion = opts.signal.aborted ? 'cancelled' : [...done.values()].some((r) => r.result === 'failure') ? 'failure' : [...done.values()].some((r) => r.result === 'cancelled') ? 'cancelled' : 'success';
  const outputs: Record<string, string> = {};
  const callSpec = (opts.workflow.on as Record<string, { outputs?: Record<string, { value?: string }> } | undefined>)?.workflow_call;
  if (callSpec?.outputs) {
    const jobsCtx = Object.fromEntries([...done].map(([k, v]) => [k, { result: v.result, outputs: v.outputs }]));
    for (const [name, o] of Object.entries(callSpec.outputs)) if (o.value !== undefined) outputs[name] = interpolate(o.value, { ...baseContext(opts, {}), jobs: jobsCtx } as ExpressionContext);
  }
  return { conclusion, jobs: all, outputs };
}

/**
 * A workflow_dispatch run gets its inputs as GitHub gives them: typed, with the defaults of inputs not given, and as
 * strings in github.event.inputs.
 */
function withDispatchInputs(opts: RunWorkflowOptions): RunWorkflowOptions {
  const declared = opts.workflow.on.workflow_dispatch;
  if (opts.callPrefix || opts.github.eventName !== 'workflow_dispatch' || !declared) return opts;
  const r = resolveDispatchInputs(declared.inputs, opts.inputs ?? {});
  if (r.problems.length > 0) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${opts.file}: workflow_dispatch ${r.problems.join('; ')}`, { hint: 'Give the inputs declared under on.workflow_dispatch.inputs.' });
  return { ...opts, inputs: r.inputs, github: { ...opts.github, event: { ...opts.github.event, inputs: opts.github.event.inputs ?? r.eventInputs } } };
}

/**
 * Runs a job under its `concurrency:` group, if it has one: it waits for the group first, and the gate may cancel it
 * (a newer job of the group with cancel-in-progress, or a newer waiter). The reason shows in the job's log and result.
 */
async function runGated(opts: RunWorkflowOptions, job: JobInstance, spec: Record<string, unknown>, ctx: ExpressionContext, signal: AbortSignal, run: (signal: AbortSignal) => Promise<JobResult>): Promise<JobResult> {
  const conc = jobConcurrency(spec, ctx, { file: opts.file, path: `jobs.${job.jobId}.concurrency` });
  if (!conc) return run(signal);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let reason: string | undefined;
  const cancel = (why: string) => {
    reason ??= why;
    opts.reporter.log(job, null, { stream: 'system', text: why });
    controller.abort();
  };
  try {
    let release: () => void;
    try {
      release = await (opts.concurrencyGate ?? processGate).acquire(conc.group, conc.cancelInProgress, cancel, controller.signal);
    } catch {
      return { job, conclusion: 'cancelled', outputs: {}, durationMs: 0, error: reason ?? 'cancelled while waiting for its concurrency group' };
    }
    try {
      const r = await run(controller.signal);
      return reason && r.conclusion === 'cancelled' ? { ...r, error: reason } : r;
    } finally {
      release();
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Contexts available at job level, before any step runs. */
export function baseContext(opts: RunWorkflowOptions, needs: Record<string, NeedResult>): ExpressionContext {
  const gh = opts.github;
  return {
    github: { repository: gh.repository, sha: gh.sha, ref: gh.ref, ref_name: gh.refName, head_ref: gh.headRef ?? '', base_ref: gh.baseRef ?? '', run_id: gh.runId, run_number: String(gh.runNumber), run_attempt: String(gh.runAttempt), actor: gh.actor, event_name: gh.eventName, event: gh.event, server_url: gh.serverUrl, workflow: String(opts.workflow.name ?? opts.file) },
    env: {},
    vars: opts.vars ?? {},
    inputs: opts.inputs ?? {},
    needs: needs as never,
    matrix: {},
    strategy: {},
  } as ExpressionContext;
}

/** A counting semaphore: run() waits for a free slot. */
export function createSemaphore(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (free === 0) await new Promise<void>((r) => waiting.push(r));
      else free--;
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else free++;
      }
    },
  };
}
