import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '@slipway/core';
import { createClient } from './client.js';

export const defaultDataDir = () => process.env.SLIPWAY_DATA_DIR ?? join(homedir(), '.slipway');
export const defaultServer = () => process.env.SLIPWAY_SERVER ?? 'http://127.0.0.1:7070';

/** Adds --server and --token to a command that talks to a server. */
export function withServer(cmd: Command): Command {
  return cmd.option('--server <url>', 'Slipway server URL (env SLIPWAY_SERVER)', defaultServer()).option('--token <token>', 'API token (env SLIPWAY_TOKEN)');
}

export function clientFrom(opts: { server: string; token?: string }) {
  return createClient({ server: opts.server, token: opts.token ?? process.env.SLIPWAY_TOKEN });
}

export const shortSha = (sha: string | null | undefined) => (sha ? sha.slice(0, 7) : '-');

/** The name of the only project; with none or several, a usage error that asks for --project. */
export async function onlyProject(client: ReturnType<typeof clientFrom>): Promise<string> {
  const { items } = await client.get<{ items: { name: string }[] }>('/api/projects');
  if (items.length !== 1) throw new SlipwayError('SLW_USAGE', items.length === 0 ? 'there is no project yet' : 'several projects exist', { hint: 'Name the project with --project.' });
  return items[0]!.name;
}
