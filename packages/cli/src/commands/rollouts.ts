import type { Command } from 'commander';
import { SlipwayError, type EnvironmentRecord, type Rollout } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { age, color, healthColor, printJson, printTable } from '../output.js';
import { findEnvironment } from './deploy.js';

type Opts = { server: string; token?: string; json?: boolean; project?: string };

/** `slipway rollouts` (canary and blue-green: weight, measurements, exposure) and `slipway promote|pause|resume|abort <env> [service]`. */
export function rolloutCommands(program: Command): void {
  withServer(
    program
      .command('rollouts')
      .description('List rollouts (canary, blue-green), newest first: weight, last measurement, worst-case exposure')
      .option('--env <env>', 'only this environment')
      .option('--limit <n>', 'how many', '20')
      .option('--watch', 'redraw every second until Ctrl-C (a live view of the rollouts under way)')
      .option('--json', 'print JSON'),
  ).action(
    async (opts: Opts & { env?: string; limit: string; watch?: boolean }) => {
      if (opts.watch && !opts.json) {
        for (;;) {
          const out = await captured(() => listRollouts(opts));
          process.stdout.write(`\x1b[H\x1b[2J${new Date().toLocaleTimeString()}  (Ctrl-C to stop)\n${out}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      await listRollouts(opts);
    },
  );

  async function listRollouts(opts: Opts & { env?: string; limit: string }): Promise<void> {
    const client = clientFrom(opts);
    const envs = (await client.get<{ items: EnvironmentRecord[] }>('/api/environments')).items;
    const env = opts.env ? envs.find((e) => e.name === opts.env) : undefined;
    if (opts.env && !env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${opts.env} not found`, { hint: 'See `slipway status` for the environments.' });
    const items = (await client.get<{ items: Rollout[] }>(`/api/rollouts?limit=${Number(opts.limit)}${env ? `&environmentId=${env.id}` : ''}`)).items;
    if (opts.json) return printJson(items);
    const envName = new Map(envs.map((e) => [e.id, e.name]));
    printTable(
      ['ID', 'ENVIRONMENT', 'SERVICE', 'STRATEGY', 'PHASE', 'WEIGHT', 'STEP', 'LAST MEASUREMENT', 'WHY', 'STARTED'],
      items.map((r) => {
        const last = r.measurements.at(-1);
        return [color.grey(r.id), envName.get(r.environmentId) ?? '?', r.service, r.strategy, healthColor(r.phase), `${r.weight} %`, `${r.stepIndex + 1}/${r.steps.length}`, last ? `${last.metric} ${last.phase}: ${last.detail}` : '-', r.reason ?? (r.exposure ? `worst case ${r.exposure}` : '-'), age(r.createdAt)];
      }),
    );
  }
  const act = (action: 'promote' | 'pause' | 'resume' | 'abort', description: string) => {
    const cmd = program.command(action).description(description).argument('<env>', 'environment name').argument('[service]', 'the service, when several roll out there').option('--project <name>', 'project, when there are several').option('--json', 'print JSON');
    if (action === 'promote') cmd.option('--full', 'all traffic to the new version at once, skipping the remaining steps');
    withServer(cmd).action(async (envName: string, service: string | undefined, opts: Opts & { full?: boolean }) => {
      const client = clientFrom(opts);
      const env = await findEnvironment(client, { env: envName, ...(opts.project ? { project: opts.project } : {}) });
      const live = (await client.get<{ items: Rollout[] }>(`/api/rollouts?environmentId=${env.id}&limit=50`)).items.filter((r) => (r.phase === 'progressing' || r.phase === 'paused') && (!service || r.service === service));
      if (live.length === 0) throw new SlipwayError('SLW_NOT_FOUND', `no rollout is under way in ${env.name}${service ? ` for ${service}` : ''}`, { hint: 'See `slipway rollouts`.' });
      if (live.length > 1) throw new SlipwayError('SLW_USAGE', `several services roll out in ${env.name}: ${live.map((r) => r.service).join(', ')}`, { hint: `Name one: slipway ${action} ${env.name} <service>` });
      const rollout = await client.post<Rollout>(`/api/rollouts/${live[0]!.id}/${action}`, opts.full ? { full: true } : {});
      if (opts.json) return printJson(rollout);
      process.stdout.write(`${rollout.service} in ${env.name}: ${healthColor(rollout.phase)} at ${rollout.weight} %${rollout.reason ? ` (${rollout.reason})` : ''}\n`);
    });
  };
  act('promote', 'Move a rollout to its next step, or with --full give all traffic to the new version (role deployer)');
  act('pause', 'Hold a rollout at its current weight (role deployer)');
  act('resume', 'Go on with a paused rollout; its current step starts over (role deployer)');
  act('abort', 'Send all traffic back to the stable version and fail the release in that environment (role deployer)');
}

/** What `work` prints to stdout, as a string (to redraw a screen in one write). */
async function captured(work: () => Promise<void>): Promise<string> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
  return out;
}
