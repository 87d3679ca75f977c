import type { Command } from 'commander';
import { SlipwayError, type EnvironmentRecord, type Promotion, type Release } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson } from '../output.js';
import type { Client } from '../client.js';

type Opts = { server: string; token?: string; env: string; project?: string; json?: boolean };

/** `slipway deploy <release> --env <env>` and `slipway rollback --env <env>` (role deployer). */
export function deployCommands(program: Command): void {
  withServer(program.command('deploy').description('Promote a release into an environment (role deployer)').argument('<release>', 'release id or version (v3 or 3)').requiredOption('--env <env>', 'environment name').option('--project <name>', 'project, when there are several').option('--json', 'print JSON')).action(
    async (releaseArg: string, opts: Opts) => {
      const client = clientFrom(opts);
      const env = await findEnvironment(client, opts);
      const { items } = await client.get<{ items: Release[] }>(`/api/releases?projectId=${env.projectId}&limit=500`);
      const version = Number(releaseArg.replace(/^v/, ''));
      const release = items.find((r) => r.id === releaseArg || r.version === version);
      if (!release) throw new SlipwayError('SLW_NOT_FOUND', `release ${releaseArg} not found`, { hint: 'List releases with `slipway releases`.' });
      const promotion = await client.post<Promotion>(`/api/environments/${env.id}/deploy`, { releaseId: release.id });
      if (opts.json) return printJson(promotion);
      process.stdout.write(`${color.green('promoting')} v${release.version} to ${env.name} (${promotion.id}); it deploys once its gates pass. Follow with \`slipway promotions\` or \`slipway events -f\`.\n`);
    },
  );
  withServer(program.command('rollback').description('Go back to the previous healthy release and hold auto-promotion (role deployer)').requiredOption('--env <env>', 'environment name').option('--project <name>', 'project, when there are several').option('--json', 'print JSON')).action(
    async (opts: Opts) => {
      const client = clientFrom(opts);
      const env = await findEnvironment(client, opts);
      const promotion = await client.post<Promotion>(`/api/environments/${env.id}/rollback`);
      if (opts.json) return printJson(promotion);
      process.stdout.write(`${color.yellow('rolling back')} ${env.name} (${promotion.id}); auto-promotion is held until a newer release passes.\n`);
    },
  );
}

async function findEnvironment(client: Client, opts: Opts): Promise<EnvironmentRecord> {
  const { items } = await client.get<{ items: EnvironmentRecord[] }>('/api/environments');
  const projectIds = opts.project ? [(await client.get<{ id: string }>(`/api/projects/${encodeURIComponent(opts.project)}`)).id] : undefined;
  const matches = items.filter((e) => e.name === opts.env && (!projectIds || projectIds.includes(e.projectId)));
  if (matches.length === 0) throw new SlipwayError('SLW_NOT_FOUND', `environment ${opts.env} not found`, { hint: 'See `slipway status` for the environments.' });
  if (matches.length > 1) throw new SlipwayError('SLW_USAGE', `several projects have an environment ${opts.env}`, { hint: 'Name the project with --project.' });
  return matches[0]!;
}
