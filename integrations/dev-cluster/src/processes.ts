import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@slipway/core';


/**
 * Starts a component detached, in a process group of its own, with stdout and stderr in <logDir>/<name>.log. It
 * outlives the Node process that started it (`slipway dev-cluster up` returns), and `down` ends it by its group.
 */
export function spawnComponent(name: string, command: string, args: string[], logDir: string): number {
  const log = openSync(join(logDir, `${name}.log`), 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`${name} did not start (${command})`);
    // A spawn failure (ENOENT) is reported by the readiness checks with the log; no unhandled 'error' event here.
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** The last lines of a component's log, for error messages. */
export function logTail(logDir: string, name: string, lines = 15): string {
  try {
    return readFileSync(join(logDir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already; the leader alone may still be there when it changed its group.
    try {
      process.kill(pid, signal);
    } catch {
      // Gone.
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return isProcessAlive(pid);
  }
}

/** Ends process groups: SIGTERM, then SIGKILL for whatever is left after graceMs. Resolves when all are gone. */
export async function killGroups(pids: number[], graceMs = 5_000): Promise<void> {
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(groupAlive) && Date.now() < deadline) await sleep(50);
  const left = pids.filter(groupAlive);
  for (const pid of left) signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (left.some(groupAlive) && Date.now() < killDeadline) await sleep(50);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
