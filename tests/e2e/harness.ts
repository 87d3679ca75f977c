import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlipwayEvent, StatusReport } from '@slipway/core';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(repoRoot, 'bin', 'slipway.mjs');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * A temporary directory for one test file. `remove` first kills what still runs from it: the local target's instances
 * outlive a stopped server on purpose (a restarted one adopts them), so without this every run would leave them.
 */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `slipway-${prefix}-`));
  return {
    path,
    remove: () => {
      killProcessesUnder(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** SIGKILLs every process whose working directory is under `dir` (Linux: /proc; elsewhere nothing is done). */
export function killProcessesUnder(dir: string): number {
  let killed = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `slipway` command. */
export function cli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** A running `slipway demo` or `slipway server` child process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (graceful: the demo stops its instances), then SIGKILL after 10 s. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
  get<T>(path: string, token?: string): Promise<T>;
  status(): Promise<StatusReport>;
  events(): Promise<SlipwayEvent[]>;
}

export async function startSlipway(args: string[], options: { port: number; host?: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, ...args, '--port', String(options.port), ...(options.host ? ['--host', options.host] : [])], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', SLIPWAY_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${options.host ?? '127.0.0.1'}:${options.port}`;
  const get = async <T>(path: string, token?: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const proc: ServerProcess = {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    get,
    status: () => get<StatusReport>('/api/status'),
    events: async () => (await get<{ items: SlipwayEvent[] }>('/api/events?limit=1000')).items,
  };
  try {
    await waitFor('the server to answer /healthz', async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${out}`);
      return (await fetch(`${url}/healthz`)).ok;
    }, 30_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

/** Services of the first project's environment `env` as a map name → status row. */
export function servicesIn(status: StatusReport, env = 'dev') {
  const e = status.projects[0]?.environments.find((x) => x.name === env);
  return new Map((e?.services ?? []).map((s) => [s.service, s]));
}

export function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'user.name=Test', '-c', 'user.email=test@slipway.invalid', ...args], { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim())));
  });
}

/** Pids of processes whose command line mentions `marker` (pgrep excludes itself). */
export function processesMatching(marker: string): string {
  try {
    return execFileSync('pgrep', ['-f', marker]).toString().trim();
  } catch {
    return '';
  }
}
