#!/usr/bin/env node
// Benchmark: commit → the new api release healthy in prod, through dev and staging with automatic promotion, no
// approval and no canary (target ≤ 45 s), and Slipway's own overhead on that path (target ≤ 2 s), side by side with
// bench/baseline/commit-to-prod.sh (commit-to-dev.sh's poll → fetch → archive → test, then start → curl → stop in
// each of three environments).
//
//   npm run build && node bench/commit-to-prod.mjs [--rounds 5]
//
// The demo's prod waits for one approval. Before the rounds, untimed, the bench approves the waiting prod promotion
// of v1 over the API and commits a slipway.yaml without that approval (with an api change, so that the commit makes a
// release), then waits until that release is healthy in prod. Each round then changes the api's VERSION and commits;
// the clock runs from `git commit` returning to GET /api/status (polled every 50 ms) showing api in prod healthy at a
// new release; for the baseline, to its state file naming the commit in prod. Both run the whole time (each one's idle
// polling is background load for the other), rounds alternate which goes first, and a random pause of up to one poll
// interval before each commit lands it at a random point of both pollers' 1 s cycle (see commit-to-dev.mjs).
//
// Overhead = total − CI (run.succeeded durationMs of the commit's runs) − build (the artifact directory's birth to its
// .complete marker) − deploys (deployment.succeeded durationMs in dev, staging and prod). The wait for the next poll
// counts as overhead. The server logs at level info so that server.log has each instance's start and traffic switch.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeDemoRepo, spawnBaseline, timeBaselineCommit } from './lib/baseline.mjs';
import { allHealthy, commitApiVersion, newApiIn, servicesIn, setApiVersion, spawnDemo, versionAt } from './lib/demo.mjs';
import { machineLine } from './lib/measure.mjs';
import { checkLeftovers, tracker } from './lib/processes.mjs';
import { alternatingRounds, phaseTable, warnWrongVersions } from './lib/rounds.mjs';
import { runBenchmark } from './lib/run.mjs';
import { freePort, getJson, git, median, numberFlags, seconds, sleep, tempRoot, waitFor } from './lib/util.mjs';

const opts = numberFlags({ rounds: 5 });
if (opts.rounds < 1) throw new Error('--rounds needs at least 1');
const targetTotalMs = 45_000;
const targetOverheadMs = 2_000;
// The script stays under ~3 minutes: rounds stop early when the budget runs out, and say so.
const budgetMs = 165_000;
const roundTimeoutMs = 60_000;
const pollIntervalMs = 1_000;
const environments = ['dev', 'staging', 'prod'];
const began = performance.now();

const root = tempRoot('commit-to-prod');
const { running, track, release } = tracker();

async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

const apiInProd = async (demo) => servicesIn(await demo.status(), 'prod').get('api');

/**
 * The demo as the target describes it: v1 approved into prod, then prod's approval removed from slipway.yaml by a
 * commit that also changes the api, and that commit's release healthy in prod.
 */
async function openProd(demo) {
  await allHealthy(demo);
  const waiting = await waitFor('the promotion of v1 to prod to wait for its approval', async () => {
    const prod = (await demo.status()).projects[0]?.environments.find((e) => e.name === 'prod');
    return prod?.waiting[0];
  }, 30_000, 100);
  await postJson(`${demo.url}/api/promotions/${waiting.promotionId}/approve`, {});
  await allHealthy(demo, 60_000, 100, 'prod');
  const before = await apiInProd(demo);
  const config = join(demo.repo, 'slipway.yaml');
  const text = readFileSync(config, 'utf8');
  const open = text.replace(/^ {2}prod:\n {4}policy:\n {6}approvals: 1\n/m, '  prod: {}\n');
  if (open === text) throw new Error(`examples/demo/slipway.yaml changed: no "policy: approvals: 1" under prod to remove:\n${text}`);
  writeFileSync(config, open);
  setApiVersion(demo.repo, '1.0.0-open');
  await git(demo.repo, 'commit', '-q', '-a', '-m', 'bench: prod needs no approval');
  await newApiIn(demo, 'prod', before, roundTimeoutMs, 'the commit that removes the approval to reach prod');
  console.log('setup: v1 approved into prod; prod needs no approval from the next release on (its release is healthy in prod)');
}

/** Epoch ms of a file's birth (statx btime) and of its last change. */
function fileTimes(path) {
  const s = statSync(path);
  return { born: s.birthtimeMs, modified: s.mtimeMs };
}

/** server.log lines (JSON) logged at or after `epoch`. */
function serverLog(demo, epoch) {
  return readFileSync(join(demo.dataDir, 'server.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.time >= epoch);
}

async function slipwayRound(demo, version) {
  const before = await apiInProd(demo);
  const seq0 = Math.max(0, ...(await demo.events(500)).map((e) => e.seq));
  const { t0, epoch } = await commitApiVersion(demo.repo, version, pollIntervalMs);
  const api = await newApiIn(demo, 'prod', before, roundTimeoutMs);
  const ms = performance.now() - t0;
  // Untimed from here: the stable URL serves the new version, and where the time went.
  const served = await versionAt(api.url);
  const events = (await demo.events(500)).filter((e) => e.seq > seq0);
  const at = (e) => Date.parse(e.ts) - epoch;
  const phases = {};
  for (const e of events) {
    const key = e.data?.environment ? `${e.kind} ${e.data.environment}` : e.kind;
    phases[key] ??= at(e);
  }
  const ci = events.filter((e) => e.kind === 'run.succeeded').reduce((n, e) => n + e.data.durationMs, 0);
  const created = events.find((e) => e.kind === 'release.created');
  const rel = await getJson(`${demo.url}/api/releases/${created.subject.replace(/^release:/, '')}`);
  // buildArtifact checks the service out into a new directory (its birth), renames it by revision and writes .complete last.
  let build = 0;
  for (const name of rel.changedServices) {
    const dir = join(demo.dataDir, 'artifacts', rel.projectId, name, rel.services[name].revision);
    const [{ born }, { modified }] = [fileTimes(dir), fileTimes(join(dir, '.complete'))];
    build += modified - born;
  }
  const deploys = environments.map((env) => events.find((e) => e.kind === 'deployment.succeeded' && e.data.environment === env)?.data.durationMs);
  // The strict reading of "process start + health wait": from the driver's "starting instance" to its "switched traffic".
  const log = serverLog(demo, epoch);
  const startToSwitch = environments.map((env) => {
    const start = log.find((l) => l.environment === env && l.msg.startsWith('starting instance'));
    const id = start?.msg.split(' ')[2];
    const switched = log.find((l) => l.environment === env && l.msg === `switched traffic to instance ${id}`);
    return switched ? switched.time - start.time : NaN;
  });
  const deploy = deploys.reduce((a, b) => a + b, 0);
  const detection = phases['run.queued'];
  const overhead = ms - ci - build - deploy;
  const strict = ms - ci - build - startToSwitch.reduce((a, b) => a + b, 0);
  return { ms, phases, terms: { ci, build, deploy, detection, overhead, afterDetection: overhead - detection, strict }, deploys, startToSwitch, served, ok: served === version && events.filter((e) => e.kind === 'run.succeeded').length >= 1 };
}

async function baselineRound(base, version) {
  const { ms, phases: p, served, ok } = await timeBaselineCommit(base, version, roundTimeoutMs, pollIntervalMs);
  // The same terms as Slipway's: test run, build (archive + copy), and each environment from start to old stopped.
  const ci = p.tested - p.archived;
  const build = p.archived - p.fetched + (p.released - p.tested);
  const deploys = environments.map((env) => p[`${env}-live`] - p[`${env}-started`]);
  const deploy = deploys.reduce((a, b) => a + b, 0);
  const detection = p.fetched;
  const overhead = ms - ci - build - deploy;
  const strict = ms - ci - build - environments.reduce((n, env) => n + (p[`${env}-healthy`] - p[`${env}-started`]), 0);
  return { ms, phases: p, terms: { ci, build, deploy, detection, overhead, afterDetection: overhead - detection, strict }, deploys, served, ok };
}

async function rounds(n) {
  const demo = track(spawnDemo(join(root, 'slipway'), await freePort(), { logLevel: 'info' }));
  const repo = join(root, 'baseline-repo');
  await makeDemoRepo(repo);
  const ports = [];
  for (let i = 0; i < 2 * environments.length; i++) ports.push(await freePort());
  const base = track(spawnBaseline(repo, join(root, 'baseline'), ports, 'commit-to-prod.sh'));
  await Promise.all([openProd(demo), base.live(undefined, 60_000)]);
  await sleep(2_000);
  return alternatingRounds(n, {
    slipway: (version) => slipwayRound(demo, version),
    baseline: (version) => baselineRound(base, version),
    began,
    budgetMs,
    slipwayNote: (s) => ` (overhead ${Math.round(s.terms.overhead)} ms)`,
  });
}

const ms0 = (x) => `${Math.round(x)}`.padStart(6);

function report(result) {
  const line = (label, xs) => `  ${label.padEnd(20)} ${xs.map(seconds).join(', ')}  → median ${seconds(median(xs))}`;
  const s = result.slipway.map((r) => r.ms);
  const b = result.baseline.map((r) => r.ms);
  console.log(`\ncommit-to-prod (git commit → new api release healthy in prod, via dev and staging), ${s.length} rounds:`);
  console.log(line('Slipway', s));
  console.log(line('baseline (bash)', b));
  console.log(`  ratio Slipway/baseline of medians: ${(median(s) / median(b)).toFixed(2)}; median of per-round ratios: ${median(s.map((x, i) => x / b[i])).toFixed(2)}`);
  const worst = Math.max(...s);
  console.log(`  target ≤ 45 s: ${worst <= targetTotalMs ? 'met' : 'NOT met'} (slowest Slipway round ${seconds(worst)})`);

  const terms = [
    ['total', (r) => r.ms],
    ['CI (test run)', (r) => r.terms.ci],
    ['build (artifact)', (r) => r.terms.build],
    ['deploys, 3 environments', (r) => r.terms.deploy],
    ['overhead = total − the three', (r) => r.terms.overhead],
    ['  of which detection', (r) => r.terms.detection],
    ['  overhead after detection', (r) => r.terms.afterDetection],
    ['overhead, deploys = start → healthy', (r) => r.terms.strict],
  ];
  console.log('\nwhere the time goes, medians in ms (each term its own median, so they need not add up):');
  console.log(`  ${''.padEnd(36)} ${'Slipway'.padStart(8)} ${'baseline'.padStart(9)}`);
  for (const [label, pick] of terms) console.log(`  ${label.padEnd(36)} ${ms0(median(result.slipway.map(pick))).padStart(8)} ${ms0(median(result.baseline.map(pick))).padStart(9)}`);
  for (const [i, env] of environments.entries()) {
    console.log(`  deploy ${env.padEnd(29)} ${ms0(median(result.slipway.map((r) => r.deploys[i]))).padStart(8)} ${ms0(median(result.baseline.map((r) => r.deploys[i]))).padStart(9)}   (Slipway start → switched ${Math.round(median(result.slipway.map((r) => r.startToSwitch[i])))})`);
  }
  const overheads = result.slipway.map((r) => r.terms.overhead);
  const most = Math.max(...overheads);
  console.log(`  Slipway overhead per round: ${overheads.map((x) => Math.round(x)).join(', ')} ms`);
  console.log(`  target overhead ≤ 2 s: ${most <= targetOverheadMs ? 'met' : 'NOT met'} (median ${Math.round(median(overheads))} ms, largest ${Math.round(most)} ms)`);

  const slipwayPhases = ['run.queued', 'commit.seen', 'run.started', 'run.succeeded', 'release.created'];
  for (const env of environments) slipwayPhases.push(`promotion.started ${env}`, `deployment.started ${env}`, `deployment.succeeded ${env}`);
  phaseTable('Slipway, from the event log', slipwayPhases, result.slipway, 'seen in /api/status', 30);
  const baselinePhases = ['seen', 'fetched', 'archived', 'tested', 'released', ...environments.flatMap((env) => [`${env}-started`, `${env}-healthy`, `${env}-live`])];
  phaseTable('baseline, from phases.log', baselinePhases, result.baseline, 'seen in state file', 30);
  warnWrongVersions(result);
}

process.once('SIGINT', () => {
  void Promise.all([...running].map((x) => x.stop())).then(() => {
    checkLeftovers(root);
    rmSync(root, { recursive: true, force: true });
    process.exit(130);
  });
});

await runBenchmark(async () => {
  console.log(`${opts.rounds} rounds; ${await machineLine()}`);
  const result = await rounds(opts.rounds);
  report(result);
}, {
  root,
  began,
  cleanup: async () => {
    for (const x of [...running]) await release(x);
    return true;
  },
});
