#!/usr/bin/env node
// Benchmark: CPU of the Slipway server following 200 idle projects, each polled every 15 s (target ≤ 5 % of one core),
// side by side with an idle Slipway server with no projects, measured over the same window.
//
//   npm run build && node bench/idle-polling.mjs [--projects 200] [--interval 15] [--settle 20] [--seconds 60] [--http 1]
//
// With --http 1 the repositories are served over smart HTTP (git http-backend behind basic auth, in this process, as
// a git host would) and projects follow http:// URLs: the remote-host case. The host's own CPU is not counted.
//
// Each project follows its own local bare repository (a copy of one made with git fast-import) whose head never moves,
// so every poll is a `git ls-remote` that finds no change. CPU is utime + stime + cutime + cstime from /proc/<pid>/stat
// of each server process: the server and the git processes it started and reaped (ls-remote and git-upload-pack).
// Both servers run the whole time; the window starts `--settle` seconds after the last project's first commit is processed.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineLine } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { makeBenchRepo } from './lib/repos.mjs';
import { loadModule } from './lib/runner.mjs';
import { queueDepth, spawnServer } from './lib/server.mjs';
import { freePort, numberFlags, sleep, tempRoot, waitFor } from './lib/util.mjs';

const opts = numberFlags({ projects: 200, interval: 15, settle: 20, seconds: 60, http: 0 });
const targetPercent = 5;
const root = tempRoot('idle-polling');
const running = new Set();
const clockTicks = 100; // USER_HZ on Linux

/** CPU seconds of a process and its reaped children so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / clockTicks;
}

function counter(text, name) {
  return [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
}

await runBenchmark(async () => {
  console.log(`${opts.projects} projects polled every ${opts.interval} s; ${await machineLine()}`);
  const template = makeBenchRepo(join(root, 'template.git'), 'idle', 0, { bare: true });
  const busy = await spawnServer(join(root, 'busy'), await freePort());
  running.add(busy);
  const idle = await spawnServer(join(root, 'idle'), await freePort());
  running.add(idle);
  const host = opts.http ? await (await loadModule('tests/e2e/git-http-server.ts')).startGitHttpServer(join(root, 'repos'), 'bench', 'bench-token') : undefined;
  if (host) running.add({ stop: () => host.close() });
  for (let i = 0; i < opts.projects; i++) {
    const repo = join(root, 'repos', `p${i}.git`);
    cpSync(template.gitDir, repo, { recursive: true });
    const repoUrl = host ? host.url(`p${i}.git`).replace('http://', 'http://bench:bench-token@') : repo;
    await busy.post('/api/projects', { repoUrl, name: `p${i}`, pollIntervalMs: opts.interval * 1000 });
  }
  if (host) console.log('projects follow http:// remotes (git http-backend behind basic auth)');
  await waitFor('every first commit to be processed', async () => {
    const projects = (await busy.getJson('/api/projects')).items;
    return projects.length === opts.projects && projects.every((p) => p.lastCommitSha) && (await queueDepth(busy)) === 0;
  }, 300_000, 500);
  console.log(`all ${opts.projects} projects processed their first commit; settling ${opts.settle} s`);
  await sleep(opts.settle * 1000);

  const metrics0 = await (await fetch(`${busy.url}/metrics`)).text();
  const start = { busy: cpuSeconds(busy.pid), idle: cpuSeconds(idle.pid), at: performance.now() };
  await sleep(opts.seconds * 1000);
  const end = { busy: cpuSeconds(busy.pid), idle: cpuSeconds(idle.pid), at: performance.now() };
  const metrics1 = await (await fetch(`${busy.url}/metrics`)).text();

  const wall = (end.at - start.at) / 1000;
  const pct = (k) => ((end[k] - start[k]) / wall) * 100;
  const polls = counter(metrics1, 'slipway_git_ls_remote_total') - counter(metrics0, 'slipway_git_ls_remote_total');
  const fetches = counter(metrics1, 'slipway_git_fetches_total') - counter(metrics0, 'slipway_git_fetches_total');
  console.log(`\nCPU over ${wall.toFixed(1)} s (server + reaped git children), % of one core:`);
  console.log(`  ${opts.projects} idle projects   ${pct('busy').toFixed(2)} %  (${polls} ls-remote = ${(polls / wall).toFixed(1)}/s, expected ${(opts.projects / opts.interval).toFixed(1)}/s; ${fetches} fetches)`);
  console.log(`  no projects (baseline) ${pct('idle').toFixed(2)} %`);
  console.log(`  difference             ${(pct('busy') - pct('idle')).toFixed(2)} %; per poll ${(((end.busy - start.busy - (end.idle - start.idle)) / Math.max(1, polls)) * 1000).toFixed(2)} ms of CPU`);
  console.log(`  target ≤ ${targetPercent} %: ${pct('busy') <= targetPercent ? 'met' : 'NOT met'}`);
}, {
  root,
  cleanup: async () => {
    for (const p of running) await p.stop();
    return true;
  },
});
// Open event streams would keep the process alive.
process.exit(process.exitCode ?? 0);
