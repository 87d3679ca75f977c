#!/usr/bin/env node
// Benchmark: commit → the new api release healthy in dev (target ≤ 15 s), and npm-start → all three services healthy,
// side by side with bench/baseline/commit-to-dev.sh (a bash poll → fetch → archive → test → copy → start → curl loop).
//
//   node bench/commit-to-dev.mjs [--rounds 5] [--starts 3]
//
// Both systems run at the same time during the rounds (each one's idle polling is background load for the other), and
// the rounds alternate which goes first. Each measures from `git commit` returning to the new api process being seen
// healthy, polling every 50 ms: Slipway's GET /api/status, the baseline's state file. A random pause of up to one poll
// interval before each commit lands it at a random point of each poller's 1 s cycle: without it the bench's fixed rhythm
// locks onto the baseline's loop (which restarts its sleep after each deploy) and biases the detection delay.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeDemoRepo, spawnBaseline, timeBaselineCommit } from './lib/baseline.mjs';
import { allHealthy, commitApiVersion, newApiIn, servicesIn, spawnDemo, versionAt } from './lib/demo.mjs';
import { checkLeftovers, mb, statusKb, tracker } from './lib/processes.mjs';
import { alternatingRounds, phaseTable, warnWrongVersions } from './lib/rounds.mjs';
import { freePort, median, numberFlags, seconds, sleep, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ rounds: 5, starts: 3 });
if (opts.rounds < 1 || opts.starts < 1) throw new Error('--rounds and --starts need at least 1');
// Each script stays under ~3 minutes: rounds stop early when the budget runs out, and say so. (A round that hangs
// fails after roundTimeoutMs instead.)
const budgetMs = 165_000;
const roundTimeoutMs = 30_000;
const pollIntervalMs = 1_000;
const began = performance.now();
const elapsed = () => performance.now() - began;

const slipwayPhases = ['run.queued', 'run.started', 'commit.seen', 'run.succeeded', 'release.created', 'deployment.started', 'deployment.succeeded'];
const baselinePhases = ['seen', 'fetched', 'archived', 'tested', 'released', 'started', 'healthy', 'live'];

const root = tempRoot('commit-to-dev');
const { running, track, release } = tracker();

async function slipwayRound(demo, version) {
  const before = servicesIn(await demo.status()).get('api');
  const seq0 = Math.max(0, ...(await demo.events()).map((e) => e.seq));
  const { t0, epoch } = await commitApiVersion(demo.repo, version, pollIntervalMs);
  const api = await newApiIn(demo, 'dev', before, roundTimeoutMs);
  const ms = performance.now() - t0;
  // Untimed checks: the stable URL now answers with the new version, and where the time went, from the event log.
  const served = await versionAt(api.url);
  const phases = {};
  for (const e of (await demo.events()).filter((x) => x.seq > seq0)) phases[e.kind] ??= Date.parse(e.ts) - epoch;
  // The poller's first trace: the runs are queued once the commit was fetched and its slipway.yaml read.
  return { ms, phases, afterSeen: ms - phases['run.queued'], served, ok: served === version };
}

async function baselineRound(base, version) {
  const round = await timeBaselineCommit(base, version, roundTimeoutMs, pollIntervalMs);
  return { ...round, afterSeen: round.ms - round.phases.fetched };
}

async function freshStarts(n) {
  const out = { slipway: [], baseline: [] };
  for (let i = 1; i <= n; i++) {
    const dir = join(root, `start-${i}`);
    const port = await freePort();
    let t = performance.now();
    const demo = track(spawnDemo(join(dir, 'slipway'), port));
    await allHealthy(demo);
    out.slipway.push(performance.now() - t);
    await release(demo);
    const repo = join(dir, 'baseline-repo');
    await makeDemoRepo(repo);
    const ports = [await freePort(), await freePort()];
    t = performance.now();
    const base = track(spawnBaseline(repo, join(dir, 'baseline'), ports));
    await base.live();
    out.baseline.push(performance.now() - t);
    await release(base);
    console.log(`start ${i}/${n}: Slipway ${seconds(out.slipway.at(-1))}, baseline ${seconds(out.baseline.at(-1))}`);
  }
  return out;
}

async function rounds(n) {
  const demo = track(spawnDemo(join(root, 'slipway'), await freePort()));
  await allHealthy(demo);
  const repo = join(root, 'baseline-repo');
  await makeDemoRepo(repo);
  const base = track(spawnBaseline(repo, join(root, 'baseline'), [await freePort(), await freePort()]));
  await base.live();
  await sleep(2_000);
  const out = await alternatingRounds(n, {
    slipway: (version) => slipwayRound(demo, version),
    baseline: (version) => baselineRound(base, version),
    began,
    budgetMs,
  });
  // For context next to bench/memory.mjs, which measures the idle server before any commit.
  out.rssAfter = { rss: mb(statusKb(demo.pid)), peak: mb(statusKb(demo.pid, 'VmHWM')) };
  return out;
}

function report(starts, result) {
  const line = (label, xs) => `  ${label.padEnd(28)} ${xs.map(seconds).join(', ')}  → median ${seconds(median(xs))}`;
  console.log(`\nnpm-start-to-healthy (spawn \`slipway demo\` → api, web, worker healthy in dev; fresh data dir each), ${starts.slipway.length} starts:`);
  console.log(line('Slipway (3 services)', starts.slipway));
  console.log(line('baseline script (api only)', starts.baseline));
  const s = result.slipway.map((r) => r.ms);
  const b = result.baseline.map((r) => r.ms);
  console.log(`\ncommit-to-dev (git commit → new api release healthy in dev), ${s.length} rounds:`);
  console.log(line('Slipway', s));
  console.log(line('baseline (bash)', b));
  const ratio = median(s) / median(b);
  const perRound = s.map((x, i) => x / b[i]);
  console.log(`  ratio Slipway/baseline of medians: ${ratio.toFixed(2)}; median of per-round ratios: ${median(perRound).toFixed(2)}`);
  const [sa, ba] = [result.slipway.map((r) => r.afterSeen), result.baseline.map((r) => r.afterSeen)];
  console.log('  without the poll delay (Slipway from run.queued, the baseline from `fetched`, to seen healthy):');
  console.log(line('  Slipway', sa));
  console.log(line('  baseline (bash)', ba));
  console.log(`    ratio of medians: ${(median(sa) / median(ba)).toFixed(2)}`);
  const worst = Math.max(...s);
  console.log(`  target ≤ 15 s: ${worst <= 15_000 ? 'met' : 'NOT met'} (slowest Slipway round ${seconds(worst)})`);
  phaseTable('Slipway, from the event log', slipwayPhases, result.slipway, 'seen in /api/status', 22);
  phaseTable('baseline, from phases.log', baselinePhases, result.baseline, 'seen in state file', 22);
  warnWrongVersions(result);
  console.log(`\nSlipway server VmRSS after the rounds: ${result.rssAfter.rss.toFixed(1)} MB (VmHWM ≈ ${result.rssAfter.peak.toFixed(1)} MB)`);
  console.log(`\nnode ${process.version}, ${(elapsed() / 1000).toFixed(0)} s in all`);
}

let failed = false;
const cleanup = async () => {
  for (const x of [...running]) await release(x);
  const left = checkLeftovers(root);
  rmSync(root, { recursive: true, force: true });
  return left.length === 0;
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
try {
  const starts = await freshStarts(opts.starts);
  const result = await rounds(opts.rounds);
  report(starts, result);
} catch (err) {
  failed = true;
  console.error(`benchmark failed: ${err.stack ?? err}`);
  for (const x of running) console.error(`--- output of a process still running:\n${x.output().slice(-2000)}`);
} finally {
  if (!(await cleanup())) failed = true;
}
process.exitCode = failed ? 1 : 0;
