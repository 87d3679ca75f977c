import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { instanceMarker } from './process-group.js';

/** How an instance exited: the code, or the signal that killed it. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** `code 1` or `signal SIGKILL`. */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code ?? 'unknown'}`;
}

/** What to start, where, and on which port; `env` is the service's own environment. */
export interface SpawnInstanceOptions {
  id: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  host: string;
  port: number;
  logFile: string;
}

/** A freshly started instance. `exited` settles when its shell exits; it never rejects. */
export interface SpawnedInstance {
  pid: number;
  startedAt: string;
  exited: Promise<ExitInfo>;
}

/**
 * Starts `command` with /bin/sh in its own process group (`detached`), so that the instance outlives a crash of the
 * server and can be stopped as a whole (the shell and whatever it starts). Output is appended to `logFile` by the
 * child itself: no pipe ties it to this process.
 */
export async function spawnInstance(options: SpawnInstanceOptions): Promise<SpawnedInstance> {
  if (!isDirectory(options.cwd)) throw new Error(`artifact directory ${options.cwd} does not exist`);
  await mkdir(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: instanceEnv(options),
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    if (child.pid === undefined) {
      const err = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`could not start /bin/sh: ${err.message}`);
    }
    child.unref();
    return { pid: child.pid, startedAt: new Date().toISOString(), exited };
  } finally {
    closeSync(fd);
  }
}

/**
 * The server's environment without its own SLIPWAY_ settings (tokens, database URLs), then the service's env,
 * then what the platform provides. The marker comes last so that nothing can override it.
 */
function instanceEnv(options: SpawnInstanceOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SLIPWAY_')) env[key] = value;
  }
  return { ...env, ...options.env, PORT: String(options.port), HOST: options.host, [instanceMarker]: options.id };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
