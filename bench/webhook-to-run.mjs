#!/usr/bin/env node
// Benchmark: a signed GitHub push webhook → its run queued (target: p99 ≤ 50 ms at 50 webhooks/s for 60 s), side by
// side with bench/baseline/webhook-receiver.mjs (a bare Node HTTP server: HMAC check, SQLite insert, SSE line).
//
//   npm run build && node bench/webhook-to-run.mjs [--rate 50] [--seconds 60] [--warmup 5] [--projects 50]
//
// Every webhook is a distinct new commit (no replays: a replay is one insert and would flatter the figure): `--projects`
// bare repositories, each with a chain of commits made beforehand; at each tick the bench moves one project's main to
// its next commit (a file write, no git process), signs the real @octokit/webhooks-examples push payload pointed at
// that repository and commit (before, after, and the commit's modified file, as GitHub sends them), and posts it to both systems, alternating which goes first. Open loop: ticks are
// scheduled at fixed times whatever the responses, so a slow server cannot slow the load down. Latency is from just
// before the POST to the run.queued event for that commit arriving on the SSE stream (/api/events; the baseline's
// /events). Bounded: at most --inflight requests open per system (more are counted as refused), all on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stopChild } from './lib/processes.mjs';
import { machineLine } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { makeBenchRepo, moveMain } from './lib/repos.mjs';
import { followEvents, queueDepth, spawnServer } from './lib/server.mjs';
import { fatal, freePort, numberFlags, repoRoot, sleep, tempRoot, waitFor } from './lib/util.mjs';

const opts = numberFlags({ rate: 50, seconds: 60, warmup: 5, projects: 50, inflight: 500 });
const secret = 'bench-webhook-secret';
const targetP99 = 50;
const root = tempRoot('webhook');
const running = new Set();
const push = createRequire(join(repoRoot, 'package.json'))('@octokit/webhooks-examples').find((e) => e.name === 'push').examples.find((p) => p.ref === 'refs/heads/master');

const ticks = opts.rate * (opts.warmup + opts.seconds);
const perProject = Math.ceil(ticks / opts.projects) + 1;
console.log(`${opts.projects} projects, ${ticks} webhooks at ${opts.rate}/s (${opts.warmup} s warm-up, ${opts.seconds} s measured); ${await machineLine()}`);

const repos = [];
for (let i = 0; i < opts.projects; i++) repos.push({ name: `p${i}`, ...makeBenchRepo(join(root, 'repos', `p${i}.git`), `p${i}`, perProject, { bare: true }) });
console.log(`made ${opts.projects} repositories with ${perProject} commits each`);

/** The real push payload, pointed at the repository and commit, as GitHub would sign and send it. */
function delivery(repo, before, sha) {
  const payload = structuredClone(push);
  payload.ref = 'refs/heads/main';
  payload.before = before;
  payload.after = sha;
  payload.created = false;
  payload.commits = [{ ...payload.commits[0], id: sha, tree_id: undefined, added: [], removed: [], modified: ['app/version.txt'] }];
  payload.repository = { ...payload.repository, clone_url: repo.gitDir, ssh_url: `git@github.com:bench/${repo.name}.git`, html_url: `https://github.com/bench/${repo.name}`, git_url: `git://github.com/bench/${repo.name}.git`, svn_url: `https://github.com/bench/${repo.name}` };
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
  return { body, headers };
}

async function startBaseline() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'bench', 'baseline', 'webhook-receiver.mjs')], { cwd: root, env: { ...process.env, PORT: String(port), SECRET: secret, DB: join(root, 'baseline.db') }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const proc = { url, pid: child.pid, stop: () => stopChild(child) };
  running.add(proc);
  await waitFor('the baseline to listen', async () => {
    if (child.exitCode !== null) throw fatal(`the baseline exited with ${child.exitCode}`);
    return (await fetch(`${url}/events`, { signal: AbortSignal.timeout(500) }).then((r) => (r.body.cancel(), r.ok)));
  }, 10_000);
  return proc;
}

/** One system under load: where to post, and when each commit's run was seen queued. */
function target(name, hookUrl) {
  return { name, hookUrl, sent: new Map(), seen: new Map(), responded: [], statuses: new Map(), open: 0, refused: 0 };
}

function post(t, sha, d, measured) {
  if (t.open >= opts.inflight) return void t.refused++;
  t.open++;
  const start = performance.now();
  if (measured) t.sent.set(sha, start);
  fetch(t.hookUrl, { method: 'POST', headers: d.headers, body: d.body })
    .then(async (res) => {
      await res.arrayBuffer();
      t.statuses.set(res.status, (t.statuses.get(res.status) ?? 0) + 1);
      if (measured) t.responded.push(performance.now() - start);
    })
    .catch((err) => t.statuses.set(err.message, (t.statuses.get(err.message) ?? 0) + 1))
    .finally(() => t.open--);
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}

function report(t) {
  const lat = [...t.sent].map(([sha, at]) => (t.seen.has(sha) ? t.seen.get(sha) - at : Infinity));
  const missing = lat.filter((x) => !Number.isFinite(x)).length;
  return { name: t.name, n: lat.length, missing, refused: t.refused, p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: Math.max(...lat), respP50: percentile(t.responded, 50), respP99: percentile(t.responded, 99), statuses: Object.fromEntries(t.statuses) };
}

const cpuTicks = (pid) => {
  const f = (require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
};
const require = createRequire(import.meta.url);

await runBenchmark(async () => {
  const server = await spawnServer(join(root, 'data'), await freePort());
  running.add(server);
  await server.post('/api/secrets/WEBHOOK_SECRET', { value: secret }, 'PUT');
  for (const r of repos) r.projectId = (await server.post('/api/projects', { repoUrl: r.gitDir, name: r.name, pollIntervalMs: 3_600_000 })).id;
  await waitFor('every first commit to be processed', async () => {
    const projects = (await server.getJson('/api/projects')).items;
    return projects.every((p) => p.lastCommitSha) && (await queueDepth(server)) === 0;
  }, 120_000, 250);
  const baseline = await startBaseline();
  const slip = target('slipway', `${server.url}/api/webhooks/github`);
  const base = target('baseline', `${baseline.url}/hook`);
  const streams = [];
  for (const [t, url] of [[slip, `${server.url}/api/events`], [base, `${baseline.url}/events`]]) {
    streams.push(await followEvents(url, (e, at) => e.kind === 'run.queued' && !t.seen.has(e.data.commitSha) && t.seen.set(e.data.commitSha, at)));
  }
  const cpu0 = cpuTicks(server.pid);
  const wall0 = performance.now();
  const t0 = performance.now() + 100;
  for (let i = 0; i < ticks; i++) {
    const wait = t0 + (i * 1000) / opts.rate - performance.now();
    if (wait > 0) await sleep(wait);
    const repo = repos[i % opts.projects];
    const k = Math.floor(i / opts.projects);
    const sha = repo.chain[k];
    moveMain(repo.gitDir, sha);
    const d = delivery(repo, k === 0 ? repo.first : repo.chain[k - 1], sha);
    const measured = i >= opts.rate * opts.warmup;
    const order = i % 2 === 0 ? [slip, base] : [base, slip];
    for (const t of order) post(t, sha, d, measured);
  }
  const sentFor = (performance.now() - t0) / 1000;
  await waitFor('the last runs to be queued', async () => [slip, base].every((t) => [...t.sent.keys()].every((sha) => t.seen.has(sha))), 15_000, 100).catch(() => {});
  const cpuSeconds = (cpuTicks(server.pid) - cpu0) / 100;
  const wallSeconds = (performance.now() - wall0) / 1000;
  // Queued is not done: the work behind each run (fetch, commit.process, the run, the release) drains afterwards.
  const backlog = await queueDepth(server);
  const drainStart = performance.now();
  await waitFor('the queue to drain', async () => (await queueDepth(server)) === 0, 600_000, 500).catch(() => {});
  const drained = (performance.now() - drainStart) / 1000;
  for (const s of streams) await s.close();

  const rows = [report(slip), report(base)];
  const f = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '∞');
  console.log(`\nwebhook → run queued, ${ticks} webhooks sent in ${sentFor.toFixed(1)} s (${(ticks / sentFor).toFixed(1)}/s); measured after the warm-up`);
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(9)} p50 ${f(r.p50).padStart(9)}  p90 ${f(r.p90).padStart(9)}  p99 ${f(r.p99).padStart(9)}  max ${f(r.max).padStart(9)}  n ${r.n}, not seen ${r.missing}, refused ${r.refused}; response p50 ${f(r.respP50)}, p99 ${f(r.respP99)}; statuses ${JSON.stringify(r.statuses)}`);
  }
  console.log(`  ratio slipway/baseline: p50 ${(rows[0].p50 / rows[1].p50).toFixed(1)}×, p99 ${(rows[0].p99 / rows[1].p99).toFixed(1)}×`);
  console.log(`  slipway server CPU (itself and its git children) during the load: ${((cpuSeconds / wallSeconds) * 100).toFixed(0)} % of one core`);
  console.log(`  queue items left when the load ended: ${backlog}; drained in ${drained.toFixed(1)} s (${(ticks / (sentFor + drained)).toFixed(1)} commits/s end to end)`);
  console.log(`  target p99 ≤ ${targetP99} ms: ${rows[0].p99 <= targetP99 && rows[0].missing === 0 ? 'met' : 'NOT met'}`);
}, {
  root,
  cleanup: async () => {
    for (const p of running) await p.stop();
    return true;
  },
});
// Open event streams would keep the process alive.
process.exit(process.exitCode ?? 0);
