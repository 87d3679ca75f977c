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
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeDemoRepo, spawnBaseline } from './lib/baseline.mjs';
import { allHealthy, servicesIn, spawnDemo } from './lib/demo.mjs';
import { checkLeftovers, mb, statusKb } from './lib/processes.mjs';
import { freePort, getJson, git, median, numberFlags, seconds, sleep, tempRoot, waitFor } from './lib/util.mjs';

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
const running = new Set();
const track = (x) => (running.add(x), x);
const release = async (x) => {
  await x.stop();
  running.delete(x);
};

/** Edits the api VERSION and commits; the clock starts when `git commit` returns. */
async function commitApiVersion(repo, version) {
  await sleep(Math.random() * pollIntervalMs);
  const file = join(repo, 'services/api/src/version.mjs');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/VERSION = '[^']*'/, `VERSION = '${version}'`));
  await git(repo, 'commit', '-q', '-a', '-m', `bench: api ${version}`);
  const t0 = performance.now();
  const epoch = Date.now();
  return { t0, epoch, sha: await git(repo, 'rev-parse', 'HEAD') };
}

async function versionAt(url) {
  try {
    return (await getJson(`${url}/healthz`)).version;
  } catch (err) {
    return `unreachable (${err.message})`;
  }
}

async function slipwayRound(demo, version) {
  const before = servicesIn(await demo.status()).get('api');
  const seq0 = Math.max(0, ...(await demo.events()).map((e) => e.seq));
  const { t0, epoch } = await commitApiVersion(demo.repo, version);
  const api = await waitFor(
    'api at a new release, healthy in dev',
    async () => {
      const now = servicesIn(await demo.status()).get('api');
      return now && now.health === 'healthy' && now.releaseId !== before.releaseId ? now : undefined;
    },
    roundTimeoutMs,
    50,
  );
  const ms = performance.now() - t0;
  // Untimed checks: the stable URL now answers with the new version, and where the time went, from the event log.
  const served = await versionAt(api.url);
  const phases = {};
  for (const e of (await demo.events()).filter((x) => x.seq > seq0)) phases[e.kind] ??= Date.parse(e.ts) - epoch;
  // The poller's first trace: the runs are queued once the commit was fetched and its slipway.yaml read.
  return { ms, phases, afterSeen: ms - phases['run.queued'], served, ok: served === version };
}

async function baselineRound(base, version) {
  const { t0, epoch, sha } = await commitApiVersion(base.repo, version);
  const live = await base.live(sha, roundTimeoutMs, 50);
  const ms = performance.now() - t0;
  const served = await versionAt(`http://127.0.0.1:${live.port}`);
  const phases = Object.fromEntries(Object.entries(base.phases(sha)).map(([k, v]) => [k, v - epoch]));
  return { ms, phases, afterSeen: ms - phases.fetched, served, ok: served === version };
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
  const out = { slipway: [], baseline: [], skipped: 0 };
  let slowestRound = 0;
  for (let r = 1; r <= n; r++) {
    // Another round fits if the slowest one so far, with half again for noise, still ends within the budget.
    if (elapsed() + 1.5 * slowestRound > budgetMs) {
      out.skipped = n - r + 1;
      console.log(`time budget reached: ${out.skipped} round(s) not run`);
      break;
    }
    const roundStart = performance.now();
    const version = `1.0.${r}`;
    const order = r % 2 ? ['slipway', 'baseline'] : ['baseline', 'slipway'];
    for (const which of order) {
      out[which].push(which === 'slipway' ? await slipwayRound(demo, version) : await baselineRound(base, version));
      // Lets the old instance's stop and any log writes finish before the other system's round.
      await sleep(1_000);
    }
    slowestRound = Math.max(slowestRound, performance.now() - roundStart);
    const [s, b] = [out.slipway.at(-1), out.baseline.at(-1)];
    const bad = [s, b].filter((x) => !x.ok).map((x) => ` (served ${x.served}, expected ${version})`).join('');
    console.log(`round ${r}/${n} (${order[0]} first): Slipway ${seconds(s.ms)}, baseline ${seconds(b.ms)}${bad}`);
  }
  // For context next to bench/memory.mjs, which measures the idle server before any commit.
  out.rssAfter = { rss: mb(statusKb(demo.pid)), peak: mb(statusKb(demo.pid, 'VmHWM')) };
  return out;
}

function phaseTable(title, names, results, end) {
  console.log(`\n${title} (median ms after the commit, and the step from the row above; ${results.length} rounds):`);
  let previous = 0;
  for (const [name, values] of [...names.map((n) => [n, results.map((r) => r.phases[n])]), [end, results.map((r) => r.ms)]]) {
    const m = median(values);
    console.log(`  ${name.padEnd(22)} ${String(Math.round(m)).padStart(6)}  ${`+${Math.round(m - previous)}`.padStart(6)}`);
    previous = m;
  }
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
  phaseTable('Slipway, from the event log', slipwayPhases, result.slipway, 'seen in /api/status');
  phaseTable('baseline, from phases.log', baselinePhases, result.baseline, 'seen in state file');
  const wrong = [...result.slipway, ...result.baseline].filter((r) => !r.ok).length;
  if (wrong) console.log(`\nWARNING: ${wrong} round(s) served another version than the one committed`);
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
