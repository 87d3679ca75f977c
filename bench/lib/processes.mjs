// What the benchmarks read from /proc: resident memory, and which processes live under a temp root (for cleanup).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or undefined when the process is gone. */
export function statusKb(pid, field = 'VmRSS') {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** kB (as /proc reports, i.e. KiB) → MB (10^6 bytes), the strict reading of a "150 MB" target. */
export const mb = (kb) => (kb * 1024) / 1e6;

function read(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * Every process whose command line mentions `root` or whose working directory is under it. Slipway's instances and
 * the baseline's services run as `node src/server.mjs` with only their cwd under the root, which pgrep -f cannot see.
 */
export function processesUnder(root) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmd = read(() => readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    const cwd = read(() => readlinkSync(`/proc/${entry}/cwd`));
    if (cmd === undefined) continue;
    if (cmd.includes(root) || cwd?.startsWith(root)) found.push({ pid: Number(entry), cmd, cwd, comm: read(() => readFileSync(`/proc/${entry}/comm`, 'utf8').trim()) });
  }
  return found;
}

/** The node processes of Slipway's service instances under `dataDir`, as service name → pid (not their `sh -c` parents). */
export function serviceInstances(dataDir) {
  const out = new Map();
  for (const p of processesUnder(dataDir)) {
    // Instances run in <data-dir>/artifacts/<project>/<service>/<revision>/<service path>.
    if (p.comm === 'node' && p.cwd?.startsWith(`${dataDir}/artifacts/`)) out.set(basename(p.cwd), p.pid);
  }
  return out;
}

/** `pgrep -f <marker>` as text, empty when nothing matches. */
export function pgrep(marker) {
  try {
    return execFileSync('pgrep', ['-af', marker]).toString().trim();
  } catch {
    return '';
  }
}

/** Sends SIGTERM to a child we spawned and waits for its exit; SIGKILL after `graceMs`. */
export async function stopChild(child, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * What a bench has started and not stopped yet (anything with a `stop()`, e.g. spawnDemo's or spawnBaseline's result):
 * `track(x)` adds x and returns it, `release(x)` stops x and drops it, `running` is the set, for the clean-up to stop.
 */
export function tracker() {
  const running = new Set();
  const track = (x) => (running.add(x), x);
  const release = async (x) => {
    await x.stop();
    running.delete(x);
  };
  return { running, track, release };
}

/**
 * The end-of-run check: nothing we started may be left. Reports pgrep's view and the /proc scan, kills what is left
 * (each by pid: everything found lives under our own temp root) and returns the list of leftovers.
 */
export function checkLeftovers(root) {
  const left = processesUnder(root);
  const viaPgrep = pgrep(root);
  for (const p of left) read(() => process.kill(p.pid, 'SIGKILL'));
  console.log(`cleanup: pgrep -f ${root}: ${viaPgrep ? `\n${viaPgrep}` : 'nothing'}; processes with cwd or args under it: ${left.length ? left.map((p) => `${p.pid} ${p.cmd}`).join('; ') : 'none'}`);
  return left;
}
