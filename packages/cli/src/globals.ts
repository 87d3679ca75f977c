import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
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
