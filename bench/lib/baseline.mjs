// Drives bench/baseline/commit-to-dev.sh (or commit-to-prod.sh): a copy of the demo repository, the script watching it,
// what it reports, and one timed commit to it.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commitApiVersion, versionAt } from './demo.mjs';
import { fatal, git, repoRoot, waitFor } from './util.mjs';
import { stopChild } from './processes.mjs';

/** The demo repository as `slipway demo` creates it (examples/demo, one commit on main), for the baseline to watch. */
export async function makeDemoRepo(repo) {
  cpSync(join(repoRoot, 'examples', 'demo'), repo, { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'Demo project: api, web and worker');
}

/**
 * Starts a baseline script of bench/baseline on `repo`, with its mirror, workspaces and releases in `work`: by default
 * commit-to-dev.sh, alternating two ports; commit-to-prod.sh takes two ports for each of its three environments.
 */
export function spawnBaseline(repo, work, ports, script = 'commit-to-dev.sh') {
  mkdirSync(work, { recursive: true });
  const child = spawn('bash', [join(repoRoot, 'bench', 'baseline', script), repo, work, ...ports.map(String)], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const current = () => {
    const file = join(work, 'current');
    if (!existsSync(file)) return undefined;
    const [sha, port, pid] = readFileSync(file, 'utf8').trim().split(' ');
    return { sha, port: Number(port), pid: Number(pid) };
  };
  return {
    child,
    repo,
    output: () => output,
    /** The live commit, its port and pid, once one is live. */
    current,
    /** Resolves once `sha` (or any commit, without one) is live; polls every `intervalMs`. */
    live: (sha, timeoutMs = 60_000, intervalMs = 50) =>
      waitFor(
        sha ? `baseline to serve ${sha.slice(0, 7)}` : 'baseline to serve a first commit',
        async () => {
          if (child.exitCode !== null) throw fatal(`the baseline exited with ${child.exitCode}: ${output}`);
          const c = current();
          return c && (!sha || c.sha === sha) ? c : undefined;
        },
        timeoutMs,
        intervalMs,
      ),
    /** Phase → epoch ms for one commit, from phases.log. */
    phases(sha) {
      const file = join(work, 'phases.log');
      if (!existsSync(file)) return {};
      const out = {};
      for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
        const [ms, phase, s] = line.split(' ');
        if (s === sha) out[phase] = Number(ms);
      }
      return out;
    },
    stop: () => stopChild(child),
  };
}

/**
 * One timed commit to the baseline `base` (see commitApiVersion): `ms` from `git commit` returning to the state file
 * naming the commit (polled every 50 ms, at most `timeoutMs`), then untimed the version its port serves and the
 * commit's phases as ms after the commit.
 */
export async function timeBaselineCommit(base, version, timeoutMs, maxPauseMs) {
  const { t0, epoch, sha } = await commitApiVersion(base.repo, version, maxPauseMs);
  const live = await base.live(sha, timeoutMs, 50);
  const ms = performance.now() - t0;
  const served = await versionAt(`http://127.0.0.1:${live.port}`);
  const phases = Object.fromEntries(Object.entries(base.phases(sha)).map(([k, v]) => [k, v - epoch]));
  return { ms, phases, served, ok: served === version };
}
