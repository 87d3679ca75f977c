import { relative, resolve, isAbsolute } from 'node:path';
import { isCallJob, SlipwayError, type Job, type Project, type RunDetail, type Workflow } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import type { createLogSink } from './log-sink.js';
import { stepEnv } from './step-env.js';

const defaultTimeoutMinutes = 60;

/** Runs the steps of one job in order; after a failure the remaining steps are skipped. Returns whether the job succeeded. */
export async function runJob(ctx: EngineContext, project: Project, run: RunDetail, wf: Workflow, job: Job, workspace: string, log: ReturnType<typeof createLogSink>, signal: AbortSignal): Promise<boolean> {
  const declared = wf.jobs[job.name]!;
  if (isCallJob(declared)) throw new SlipwayError('SLW_WORKFLOW_INVALID', `job ${job.name} calls ${declared.uses}: this engine does not run reusable workflows`);
  const spec = declared;
  const started = Date.now();
  const jobEnv = await ctx.executor.prepareJob({ id: `${run.id}-${run.attempt}-${job.name}`, workspace, temp: `${workspace}.tmp/${job.name}` }, signal);
  try {
    return await runSteps();
  } finally {
    await jobEnv.dispose();
  }

  async function runSteps(): Promise<boolean> {
  await ctx.store.updateJob(job.id, { status: 'running', startedAt: nowIso(ctx) });
  let ok = true;
  for (const [i, step] of spec.steps.entries()) {
    const record = job.steps[i]!;
    if (!ok || signal.aborted) {
      await ctx.store.updateStep(record.id, { status: signal.aborted ? 'cancelled' : 'skipped' });
      continue;
    }
    await ctx.store.updateStep(record.id, { status: 'running', startedAt: nowIso(ctx) });
    const write = (stream: 'stdout' | 'stderr' | 'system', text: string) => log.write({ jobId: job.id, stepId: record.id, stream, text });
    let exitCode: number;
    if (step.run === undefined) {
      write('system', `uses: ${step.uses} is not supported yet: this engine runs "run:" steps only`);
      exitCode = 1;
    } else {
      const dir = step['working-directory'] ?? spec.defaults?.run?.['working-directory'] ?? '.';
      const cwd = resolve(workspace, dir);
      const rel = relative(workspace, cwd);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        write('system', `working-directory ${dir} is outside the workspace`);
        exitCode = 1;
      } else {
        write('system', `$ ${step.run.trim().split('\n')[0]}`);
        // This engine does not evaluate expressions: an expression timeout falls back to the default.
        const timeout = step['timeout-minutes'] ?? spec['timeout-minutes'];
        const timeoutMin = typeof timeout === 'number' ? timeout : defaultTimeoutMinutes;
        const result = await jobEnv.runStep(
          {
            command: step.run,
            shell: step.shell ?? spec.defaults?.run?.shell ?? 'bash',
            cwd,
            env: stepEnv(project, run, workspace, [wf.env, spec.env, step.env]),
            timeoutMs: timeoutMin * 60_000,
          },
          (out) => write(out.stream, out.text),
          signal,
        );
        exitCode = result.exitCode;
      }
    }
    const stepOk = exitCode === 0 || step['continue-on-error'] === true;
    if (exitCode !== 0) write('system', `exit code ${exitCode}${stepOk ? ' (continue-on-error)' : ''}`);
    await ctx.store.updateStep(record.id, { status: exitCode === 0 ? 'succeeded' : 'failed', exitCode, finishedAt: nowIso(ctx) });
    ok = ok && stepOk;
  }
  const status = signal.aborted ? 'cancelled' : ok ? 'succeeded' : 'failed';
  await ctx.store.updateJob(job.id, { status, finishedAt: nowIso(ctx) });
  const ms = Date.now() - started;
  ctx.logger.info({ run: run.id, job: job.name, status, ms }, 'job finished');
  if (status !== 'cancelled') {
    await ctx.bus.emit({ kind: status === 'succeeded' ? 'job.succeeded' : 'job.failed', projectId: project.id, subject: `run:${run.id}`, message: `job ${job.name} of run #${run.number} ${status} in ${(ms / 1000).toFixed(1)}s`, data: { job: job.name, durationMs: ms } });
  }
  return ok && !signal.aborted;
}
}
