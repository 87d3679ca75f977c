import type { Command } from 'commander';
import { SlipwayError, type EnvironmentDiff, type EnvironmentRecord, type Promotion, type Release } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson } from '../output.js';
import type { Client } from '../client.js';

type Opts = { server: string; token?: string; env: string; project?: string; json?: boolean };

/** `slipway deploy <release> --env <env>` and `slipway rollback <env> [--to <release>]` (role deployer). */
export function deployCommands(program: Command): void {
  withServer(program.command('deploy').description('Promote a release into an environment (role deployer)').argument('<release>', 'release id or version (v3 or 3)').requiredOption('--env <env>', 'environment name').option('--project <name>', 'project, when there are several').option('--json', 'print JSON')).action(
    async (releaseArg: string, opts: Opts) => {
      const client = clientFrom(opts);
      const env = await findEnvironment(client, opts);
      const release = await findRelease(client, env.projectId, releaseArg);
      const promotion = await client.post<Promotion>(`/api/environments/${env.id}/deploy`, { releaseId: release.id });
      if (opts.json) return printJson(promotion);
      process.stdout.write(`${color.green('promoting')} v${release.version} to ${env.name} (${promotion.id}); it deploys once its gates pass. Follow with \`slipway promotions\` or \`slipway events -f\`.\n`);
    },
  );
  withServer(
    program
      .command('rollback')
      .description('Go back to the previous healthy release (or --to one) and hold auto-promotion until a newer release passes (role deployer)')
      .argument('[env]', 'environment name (or --env)')
      .option('--env <env>', 'environment name')
      .option('--to <release>', 'release id or version to go back to; default the last one healthy here before the current one')
      .option('--project <name>', 'project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (envArg: string | undefined, opts: Omit<Opts, 'env'> & { env?: string; to?: string }) => {
    const name = envArg ?? opts.env;
    if (!name) throw new SlipwayError('SLW_USAGE', 'name the environment to roll back', { hint: 'slipway rollback <env> [--to <release>]' });
    const client = clientFrom(opts);
    const env = await findEnvironment(client, { ...opts, env: name });
    const to = opts.to ? await findRelease(client, env.projectId, opts.to) : undefined;
    const promotion = await client.post<Promotion>(`/api/environments/${env.id}/rollback`, to ? { releaseId: to.id } : {});
    if (opts.json) return printJson(promotion);
    process.stdout.write(`${color.yellow('rolling back')} ${env.name}${to ? ` to v${to.version}` : ''} (${promotion.id}); auto-promotion is held until a newer release passes.\n`);
  });
}

/** `slipway diff <env> [--release R]`: desired against live, per service. */
export function diffCommand(program: Command): void {
  withServer(
    program
      .command('diff')
      .description('Show the desired state of an environment (or of --release) against what runs there, per service')
      .argument('<env>', 'environment name')
      .option('--release <release>', 'compare this release (id or version) instead of the desired one')
      .option('--project <name>', 'project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (envName: string, opts: Omit<Opts, 'env'> & { release?: string }) => {
    const client = clientFrom(opts);
    const env = await findEnvironment(client, { ...opts, env: envName });
    const release = opts.release ? await findRelease(client, env.projectId, opts.release) : undefined;
    const diff = await client.get<EnvironmentDiff>(`/api/environments/${env.id}/diff${release ? `?releaseId=${release.id}` : ''}`);
    if (opts.json) return printJson(diff);
    const target = diff.desiredRelease ? `v${diff.desiredRelease.version}` : 'no release';
    process.stdout.write(`${color.bold(diff.environment)}: ${release ? `${target} (asked for)` : `desired ${target}`} against what runs — ${diff.inSync ? color.green('in sync') : color.yellow('out of sync')}\n`);
    for (const s of diff.services) {
      const live = s.live ? `v${s.live.releaseVersion ?? '?'} ${s.live.health}` : 'not running';
      const want = s.desired ? `v${s.desired.releaseVersion}` : 'removed';
      const mark = s.sync === 'synced' ? color.green('=') : color.yellow('~');
      process.stdout.write(`${mark} ${color.bold(s.service)}  live ${live}  →  desired ${want}\n`);
      for (const f of s.fields) process.stdout.write(`    ${f.field}: ${f.from ?? '(none)'} → ${f.to ?? '(none)'}\n`);
    }
  });
}

export async function findRelease(client: Client, projectId: string, arg: string): Promise<Release> {
  const { items } = await client.get<{ items: Release[] }>(`/api/releases?projectId=${projectId}&limit=500`);
  const version = Number(arg.replace(/^v/, ''));
  const release = items.find((r) => r.id === arg || r.version === version);
  if (!release) throw new SlipwayError('SLW_NOT_FOUND', `release ${arg} not found`, { hint: 'List releases with `slipway releases`.' });
  return release;
}

export async function findEnvironment(client: Client, opts: { env: string; project?: string }): Promise<EnvironmentRecord> {
  const { items } = await client.get<{ items: EnvironmentRecord[] }>('/api/environments');
  const projectIds = opts.project ? [(await client.get<{ id: string }>(`/api/projects/${encodeURIComponent(opts.project)}`)).id] : undefined;
  const matches = items.filter((e) => e.name === opts.env && (!projectIds || projectIds.includes(e.projectId)));
  if (matches.length === 0) throw new SlipwayError('SLW_NOT_FOUND', `environment ${opts.env} not found`, { hint: 'See `slipway status` for the environments.' });
  if (matches.length > 1) throw new SlipwayError('SLW_USAGE', `several projects have an environment ${opts.env}`, { hint: 'Name the project with --project.' });
  return matches[0]!;
}
