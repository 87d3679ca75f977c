import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { pino } from 'pino';
import { findWebDir, startServer, type RunningServer } from '@slipway/server';
import { defaultDataDir } from '../globals.js';

export interface ServerFlags {
  host: string;
  port: string;
  dataDir: string;
  database?: string;
  requireAuth?: boolean;
}

/** Adds the options shared by `server` and `demo`. */
export function serverOptions(cmd: Command, port = '7070'): Command {
  return cmd
    .option('--host <address>', 'address to bind; anything but loopback requires auth', '127.0.0.1')
    .option('--port <port>', 'port to listen on', port)
    .option('--data-dir <dir>', 'data directory (env SLIPWAY_DATA_DIR)', defaultDataDir())
    .option('--database <url>', 'postgres://… to use PostgreSQL instead of the embedded SQLite (env SLIPWAY_DATABASE)', process.env.SLIPWAY_DATABASE)
    .option('--require-auth', 'require an API token even on loopback');
}

export async function startFromFlags(flags: ServerFlags, logFile?: string): Promise<RunningServer> {
  return startServer({
    ...(logFile ? { logger: pino({ base: undefined, level: process.env.SLIPWAY_LOG_LEVEL ?? 'info' }, pino.destination({ dest: logFile, mkdir: true, sync: false })) } : {}),
    host: flags.host,
    port: Number(flags.port),
    dataDir: flags.dataDir,
    database: flags.database,
    requireAuth: flags.requireAuth ?? false,
    webDir: findWebDir(fileURLToPath(new URL('.', import.meta.url))),
  });
}

/** Stops the server on SIGINT/SIGTERM, draining work first. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(130);
    stopping = true;
    void stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export function serverCommand(program: Command): void {
  serverOptions(program.command('server').description('Run the Slipway server: API, dashboard, scheduler and reconcilers')).action(async (flags: ServerFlags) => {
    const server = await startFromFlags(flags);
    process.stderr.write(`Slipway listening on ${server.url} (data: ${flags.dataDir})\n`);
    stopOnSignals(() => server.stop());
  });
}
