import { readdirSync, readFileSync } from 'node:fs';

/** Environment variable set on every instance; it tells our processes apart from strangers that reuse a pid. */
export const instanceMarker = 'SLIPWAY_INSTANCE_ID';

// Without /proc (macOS), we can only ask the kernel whether a pid exists and must trust that it is still ours.
const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** True when the instance's process (the leader of its group) is alive and really is that instance. */
export function isRunning(pid: number, instanceId: string): boolean {
  if (!hasProc) return signal(pid, 0);
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z' && hasMarker(pid, instanceId);
}

/**
 * Stops every process of the instance's group: SIGTERM, then SIGKILL after `graceMs`. Does nothing when the group
 * holds no process of this instance, so a recycled pid is never signalled.
 */
export async function stopGroup(pgid: number, instanceId: string, graceMs: number): Promise<void> {
  if (!groupIsOurs(pgid, instanceId)) return;
  signal(-pgid, 'SIGTERM');
  if (await waitGone(pgid, graceMs)) return;
  signal(-pgid, 'SIGKILL');
  await waitGone(pgid, 1_000);
}

function groupIsOurs(pgid: number, instanceId: string): boolean {
  if (!hasProc) return signal(pgid, 0);
  // The leader may be gone while its children live on; any live member with our marker makes the group ours.
  return liveMembers(pgid).some((pid) => hasMarker(pid, instanceId));
}

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50).unref());
  }
}

// Zombies count as gone: a container whose init does not reap would otherwise keep them "alive" forever.
function groupAlive(pgid: number): boolean {
  return hasProc ? liveMembers(pgid).length > 0 : signal(-pgid, 0);
}

function liveMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

function readStat(pid: number): { state: string; pgrp: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; the fields after its last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

function hasMarker(pid: number, instanceId: string): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return `\0${environ}`.includes(`\0${instanceMarker}=${instanceId}\0`);
  } catch {
    return false;
  }
}

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}
