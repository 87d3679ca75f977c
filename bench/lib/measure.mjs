// Timing helpers shared by the workflow benchmarks: interleaved rounds, a spawned command's wall time, and the report.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { median } from './util.mjs';

/**
 * Runs every variant once per round, in an order rotated each round so that each one goes first as often as the
 * others and background load falls on all of them. `warmup` rounds run first and are not recorded (JIT, page cache).
 * Each variant returns its time in ms, or an object with `ms`. Returns variant name → list of results.
 */
export async function interleave(variants, { rounds, warmup = 1, log = console.log }) {
  const names = Object.keys(variants);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = -warmup; r < rounds; r++) {
    const shift = ((r % names.length) + names.length) % names.length;
    const order = [...names.slice(shift), ...names.slice(0, shift)];
    const line = [];
    for (const name of order) {
      const v = await variants[name]();
      const result = typeof v === 'number' ? { ms: v } : v;
      if (r >= 0) out[name].push(result);
      line.push(`${name} ${result.ms.toFixed(0)}`);
    }
    log(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`}: ${line.join(', ')} ms`);
  }
  return out;
}

/** Spawns `argv` and resolves with its wall time (spawn → close) and its stdout lines; rejects on a non-zero exit. */
export function timeSpawn(argv, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr.slice(-2000)}${stdout.slice(-2000)}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

/** Median, min and max of the `ms` of a list of results. */
export function stats(results, pick = (r) => r.ms) {
  const xs = results.map(pick);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

export const ms = (x, digits = 1) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : '–');

/** One line per variant: median (min–max), n. */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, results] of rows) {
    const s = stats(results);
    console.log(`  ${label.padEnd(width)}  median ${ms(s.median).padStart(10)}  (min ${ms(s.min)}, max ${ms(s.max)}, n ${s.n})`);
  }
}

/** The machine, for the record under the results. */
export async function machineLine() {
  const os = await import('node:os');
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  return `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Linux ${os.release()}, load average ${load}, ${new Date().toISOString()}`;
}
