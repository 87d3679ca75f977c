#!/usr/bin/env node
// Benchmark: the idle resident memory of the Slipway server running the demo (target ≤ 150 MB), side by side with a
// minimal Node process (an http server that does nothing), sampled in the same loop.
//
//   node bench/memory.mjs [--idle 10] [--seconds 20]
//
// Measured: VmRSS of the node process running bin/slipway.mjs (not its children) once a second, after all three
// services are healthy plus `--idle` seconds. The demo's service instances are separate processes; their RSS is
// reported apart, for context.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { allHealthy, demoServices, spawnDemo } from './lib/demo.mjs';
import { checkLeftovers, mb, serviceInstances, statusKb, stopChild } from './lib/processes.mjs';
import { fatal, freePort, median, numberFlags, sleep, tempRoot, waitFor } from './lib/util.mjs';

const opts = numberFlags({ idle: 10, seconds: 20 });
const targetMb = 150;
const root = tempRoot('memory');
const running = new Set();

// The baseline: what any Node server costs before it does anything.
const bareNode = "require('node:http').createServer((q, s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1')";

async function spawnBareNode() {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', bareNode], { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  const proc = { child, pid: child.pid, output: () => '', stop: () => stopChild(child) };
  running.add(proc);
  await waitFor('the bare Node server to answer', async () => {
    if (child.exitCode !== null) throw fatal(`the bare Node server exited with ${child.exitCode}`);
    return (await fetch(`http://127.0.0.1:${port}/`)).ok;
  }, 10_000);
  return proc;
}

function summary(label, kbs) {
  const m = kbs.map(mb);
  return { label, median: median(m), max: Math.max(...m), n: m.length };
}

const fmt = (x) => `${x.toFixed(1)} MB`;

const cleanup = async () => {
  for (const x of [...running]) await x.stop();
  const left = checkLeftovers(root);
  rmSync(root, { recursive: true, force: true });
  return left.length === 0;
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

let failed = false;
try {
  const started = performance.now();
  const demo = spawnDemo(join(root, 'slipway'), await freePort());
  running.add(demo);
  const bare = await spawnBareNode();
  await allHealthy(demo);
  console.log(`demo healthy after ${((performance.now() - started) / 1000).toFixed(1)} s; idling ${opts.idle} s, then sampling for ${opts.seconds} s`);
  await sleep(opts.idle * 1000);

  const samples = { slipway: [], bare: [], ...Object.fromEntries(demoServices.map((s) => [s, []])) };
  let instances = serviceInstances(demo.dataDir);
  for (let i = 0; i < opts.seconds; i++) {
    const tick = sleep(1_000);
    // An instance replaced by a resync (a crash heal) has a new pid: look again when one is missing.
    if (demoServices.some((s) => !instances.has(s) || statusKb(instances.get(s)) === undefined)) instances = serviceInstances(demo.dataDir);
    samples.slipway.push(statusKb(demo.pid));
    samples.bare.push(statusKb(bare.pid));
    for (const s of demoServices) samples[s].push(statusKb(instances.get(s)));
    await tick;
  }
  for (const [k, v] of Object.entries(samples)) if (v.some((x) => x === undefined)) throw new Error(`${k}: a process was gone while sampling`);

  const server = summary('Slipway server (bin/slipway.mjs)', samples.slipway);
  const baseline = summary('bare Node http server', samples.bare);
  const peak = statusKb(demo.pid, 'VmHWM');
  console.log(`\nresident memory (VmRSS), ${opts.seconds} samples at 1 s, after ${opts.idle} s idle; MB = 10^6 bytes:`);
  for (const r of [server, baseline]) console.log(`  ${r.label.padEnd(34)} median ${fmt(r.median).padStart(9)}   max ${fmt(r.max).padStart(9)}`);
  console.log(`  ${'difference (Slipway − bare Node)'.padEnd(34)} median ${fmt(server.median - baseline.median).padStart(9)}   max ${fmt(server.max - baseline.max).padStart(9)}`);
  console.log(`  ${'ratio (Slipway / bare Node)'.padEnd(34)} median ${(server.median / baseline.median).toFixed(2).padStart(6)}×`);
  console.log(`  Slipway server peak since start (VmHWM, approximate; includes the startup deploy): ${fmt(mb(peak))}`);
  console.log(`  target ≤ ${targetMb} MB: ${server.max <= targetMb ? 'met' : 'NOT met'} (max ${fmt(server.max)})`);
  console.log('\nthe demo\'s service instances (separate processes, not in the figure above):');
  let total = 0;
  for (const s of demoServices) {
    const r = summary(s, samples[s]);
    total += r.median;
    console.log(`  ${s.padEnd(34)} median ${fmt(r.median).padStart(9)}   max ${fmt(r.max).padStart(9)}`);
  }
  console.log(`  ${'all three'.padEnd(34)} median ${fmt(total).padStart(9)}`);
  console.log(`\nnode ${process.version}`);
} catch (err) {
  failed = true;
  console.error(`benchmark failed: ${err.stack ?? err}`);
  for (const x of running) console.error(`--- output:\n${x.output().slice(-2000)}`);
} finally {
  if (!(await cleanup())) failed = true;
}
process.exitCode = failed ? 1 : 0;
