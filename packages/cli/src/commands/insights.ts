import type { Command } from 'commander';
import { SlipwayError, type DoraReport, type Project } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson, printTable, seconds } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean; project?: string; env?: string; from?: string; to?: string; days?: string };

/** `slipway insights`: DORA's four keys of a project's production environment, with the 2024 tier of each. */
export function insightsCommand(program: Command): void {
  withServer(
    program
      .command('insights')
      .description("DORA metrics of a project's environment: deployment frequency, lead time, change fail rate, recovery time")
      .option('--project <name>', 'project, when there are several')
      .option('--env <env>', 'environment (default: the last one, production)')
      .option('--days <n>', 'the last n days (default 30)')
      .option('--from <date>', 'start of the period (ISO 8601)')
      .option('--to <date>', 'end of the period (ISO 8601, default now)')
      .option('--json', 'print JSON'),
  ).action(async (opts: Opts) => {
    const client = clientFrom(opts);
    const project = opts.project ?? (await onlyProject(client.get.bind(client)));
    const to = opts.to ?? new Date().toISOString();
    const from = opts.from ?? (opts.days ? new Date(Date.parse(to) - Number(opts.days) * 86_400_000).toISOString() : undefined);
    const q = new URLSearchParams({ to, ...(from ? { from } : {}), ...(opts.env ? { environment: opts.env } : {}) });
    const r = await client.get<DoraReport>(`/api/projects/${encodeURIComponent(project)}/insights?${q}`);
    if (opts.json) return printJson(r);
    process.stdout.write(`${color.bold(project)} → ${color.bold(r.environment)}, ${r.from.slice(0, 10)} – ${r.to.slice(0, 10)}: ${r.deployments} deployment${r.deployments === 1 ? '' : 's'}\n`);
    printTable(
      ['METRIC', 'VALUE', 'TIER (DORA 2024)'],
      [
        ['deployment frequency', `${r.deploymentFrequency.perDay} / day`, tierOf(r.deploymentFrequency.tier)],
        ['change lead time', `${seconds(r.leadTime.medianSeconds)} (median of ${r.leadTime.changes} change${r.leadTime.changes === 1 ? '' : 's'})`, tierOf(r.leadTime.tier)],
        ['change fail rate', r.changeFailRate.rate === null ? '-' : `${Math.round(r.changeFailRate.rate * 1000) / 10} % (${r.changeFailRate.failed} of ${r.deployments})`, tierOf(r.changeFailRate.tier)],
        ['recovery time', `${seconds(r.recoveryTime.medianSeconds)} (${r.recoveryTime.recovered} of ${r.recoveryTime.failures} failure${r.recoveryTime.failures === 1 ? '' : 's'} recovered)`, tierOf(r.recoveryTime.tier)],
      ],
    );
    process.stdout.write(`overall: ${tierOf(r.tier.overall)} (the best ${r.tier.report} tier all four metrics meet)\n`);
  });
}

async function onlyProject(get: <T>(path: string) => Promise<T>): Promise<string> {
  const { items } = await get<{ items: Project[] }>('/api/projects');
  if (items.length === 1) return items[0]!.name;
  throw new SlipwayError('SLW_USAGE', items.length === 0 ? 'no projects yet' : 'several projects: name one with --project', { hint: items.map((p) => p.name).join(', ') || 'Add one with `slipway projects add <repo>`.' });
}

const tierOf = (t: string | null) => (t === null ? color.grey('no data') : t === 'elite' || t === 'high' ? color.green(t) : color.yellow(t));
