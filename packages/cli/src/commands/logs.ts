import type { Command } from 'commander';
import type { LogLine, RunDetail } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson } from '../output.js';

/** `slipway logs <run> [-f]`: a run's log; -f follows it live until the run ends. */
export function logsCommand(program: Command): void {
  withServer(program.command('logs').description("Print a run's log; -f follows it live").argument('<run>', 'run id, or run number').option('-f, --follow', 'stream until the run finishes').option('--json', 'print JSON')).action(
    async (runArg: string, opts: { server: string; token?: string; follow?: boolean; json?: boolean }) => {
      const client = clientFrom(opts);
      const run = await client.get<RunDetail>(`/api/runs/${encodeURIComponent(runArg)}`);
      const steps = new Map<string, string>();
      const learn = (r: RunDetail) => r.jobs.forEach((j) => j.steps.forEach((s) => steps.set(s.id, `${j.name}/${s.name}`)));
      learn(run);
      let lastStep: string | null | undefined;
      const print = async (l: LogLine) => {
        if (opts.json) return void process.stdout.write(`${JSON.stringify(l)}\n`);
        // Matrix rows and post steps are added while the run goes: look them up once when a line names one.
        if (l.stepId && !steps.has(l.stepId)) learn(await client.get<RunDetail>(`/api/runs/${run.id}`));
        if (l.stepId !== lastStep && l.stepId) process.stdout.write(`${color.bold(`── ${steps.get(l.stepId) ?? l.stepId}`)}\n`);
        lastStep = l.stepId;
        const text = l.stream === 'stderr' ? color.red(l.text) : l.stream === 'system' ? color.grey(l.text) : l.text;
        process.stdout.write(`${text}\n`);
      };
      if (!opts.follow) {
        const { items } = await client.get<{ items: LogLine[] }>(`/api/runs/${run.id}/logs`);
        if (opts.json) return printJson(items);
        for (const l of items) await print(l);
        return;
      }
      let status = run.status;
      let printing = Promise.resolve();
      await client.stream(`/api/runs/${run.id}/logs`, (event, data) => {
        if (event === 'end') {
          status = (JSON.parse(data) as { status: typeof status }).status;
          return false;
        }
        const line = JSON.parse(data) as LogLine;
        printing = printing.then(() => print(line));
      });
      await printing;
      if (!opts.json) process.stdout.write(`${color.grey(`run #${run.number} ${status}`)}\n`);
      if (status === 'failed') process.exitCode = 1;
    },
  );
}
