import type { Command } from 'commander';
import type { Job, Run, RunDetail, WorkflowSummary } from '@slipway/core';
import { parseAssignments } from '../local-run/key-values.js';
import { clientFrom, onlyProject, shortSha, withServer } from '../globals.js';
import { color, healthColor, printJson, printTable } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean };

/** `slipway runs show|cancel|rerun <run>`: a run's job graph with step timings, and the controls over it. */
export function runControlCommands(program: Command): void {
  const runs = program.commands.find((c) => c.name() === 'runs') ?? program.command('runs');
  withServer(runs.command('show').description('A run: its jobs in needs order, each step with status and timings').argument('<run>', 'run id, or run number').option('--json', 'print JSON')).action(
    async (runArg: string, _opts: Opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const run = await clientFrom(opts).get<RunDetail>(`/api/runs/${encodeURIComponent(runArg)}`);
      if (opts.json) return printJson(run);
      process.stdout.write(`${color.bold(`#${run.number} ${run.workflowName}`)}  ${healthColor(run.status)}  ${shortSha(run.commitSha)}  attempt ${run.attempt}${run.error ? `\n${color.red(run.error)}` : ''}\n`);
      for (const job of run.jobs) process.stdout.write(formatJob(job));
    },
  );
  withServer(program.command('workflows').description('The workflows at the head of the branch: events, schedules, dispatch inputs').option('--project <name>', 'the project, when there are several').option('--json', 'print JSON')).action(
    async (opts: Opts & { project?: string }) => {
      const client = clientFrom(opts);
      const project = opts.project ?? (await onlyProject(client));
      const { items } = await client.get<{ items: WorkflowSummary[] }>(`/api/projects/${encodeURIComponent(project)}/workflows`);
      if (opts.json) return printJson(items);
      printTable(
        ['FILE', 'NAME', 'ON', 'SCHEDULE', 'INPUTS'],
        items.map((w) => [w.file, w.valid ? w.name : color.red(w.error ?? 'invalid'), w.events.join(', '), w.schedules.join(', ') || '-', w.dispatchInputs ? Object.keys(w.dispatchInputs).join(', ') || '(none)' : '-']),
      );
    },
  );
  withServer(
    runs
      .command('dispatch')
      .description('Start a workflow that has on.workflow_dispatch, at the head of the branch (role deployer)')
      .argument('<workflow>', 'workflow path, file name or name')
      .option('--input <name=value>', 'a workflow_dispatch input (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--project <name>', 'the project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (workflow: string, _opts: Opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts & { input?: string[]; project?: string }>();
    const client = clientFrom(opts);
    const project = opts.project ?? (await onlyProject(client));
    const run = await client.post<Run>('/api/runs/dispatch', { project, workflow, inputs: parseAssignments(opts.input ?? [], '--input') });
    if (opts.json) return printJson(run);
    process.stdout.write(`${color.green('queued')} run #${run.number} ${run.workflowName} at ${shortSha(run.commitSha)}. Follow with \`slipway logs ${run.id} -f\`.\n`);
  });
  withServer(runs.command('cancel').description('Cancel a queued or running run (role deployer)').argument('<run>', 'run id, or run number').option('--json', 'print JSON')).action(async (runArg: string, _opts: Opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts>();
    const run = await clientFrom(opts).post<Run>(`/api/runs/${encodeURIComponent(runArg)}/cancel`);
    if (opts.json) return printJson(run);
    process.stdout.write(`${color.yellow('cancelling')} run #${run.number} ${run.workflowName}; its steps stop and its containers are removed. Follow with \`slipway logs ${run.id} -f\`.\n`);
  });
  withServer(
    runs
      .command('rerun')
      .description('Run a finished run again as its next attempt; --failed re-runs only the failed jobs, the others keep their outputs (role deployer)')
      .argument('<run>', 'run id, or run number')
      .option('--failed', 'only the jobs that failed, were cancelled or were skipped because of them')
      .option('--json', 'print JSON'),
  ).action(async (runArg: string, _opts: Opts, cmd: Command) => {
    // `runs` has --server and --json too, and takes them first: read the options of the whole chain.
    const opts = cmd.optsWithGlobals<Opts & { failed?: boolean }>();
    const run = await clientFrom(opts).post<Run>(`/api/runs/${encodeURIComponent(runArg)}/rerun`, { failedOnly: opts.failed === true });
    if (opts.json) return printJson(run);
    process.stdout.write(`${color.green('queued')} run #${run.number} ${run.workflowName} as attempt ${run.attempt} (${opts.failed ? 'failed jobs' : 'all jobs'}). Follow with \`slipway logs ${run.id} -f\`.\n`);
  });
}

function formatJob(job: Job): string {
  const needs = job.needs.length > 0 ? color.grey(` ← ${job.needs.join(', ')}`) : '';
  const lines = [`  ${healthColor(job.status)} ${color.bold(job.name)}${needs}  ${span(job.startedAt, job.finishedAt)}`];
  for (const s of job.steps) {
    const waited = s.queuedAt && s.startedAt ? color.grey(` queued ${seconds(Date.parse(s.startedAt) - Date.parse(s.queuedAt))}`) : '';
    lines.push(`      ${healthColor(s.status)} ${s.name}  ${span(s.startedAt, s.finishedAt)}${waited}${s.exitCode ? color.red(` exit ${s.exitCode}`) : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
const span = (start: string | null, end: string | null) => (start ? seconds((end ? Date.parse(end) : Date.now()) - Date.parse(start)) : '-');

