// Starts `slipway demo` (what `npm start` runs) as a child process and reads its status and events over the API; and
// commits new api versions to a demo repository (Slipway's or the baseline's copy) for the benchmarks to time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fatal, getJson, git, sleep, waitFor } from './util.mjs';
import { stopChild } from './processes.mjs';
import { spawnSlipway } from './server.mjs';

export const demoServices = ['api', 'web', 'worker'];

/**
 * Spawns the demo on `port` with its data in `dataDir`. `pid` is the node process running bin/slipway.mjs itself.
 * `options.logLevel` sets the level of `<dataDir>/server.log` (default `warn`).
 */
export function spawnDemo(dataDir, port, options = {}) {
  const { child, url, output } = spawnSlipway(['demo', '--data-dir', dataDir, '--quiet'], port, options);
  return {
    child,
    pid: child.pid,
    url,
    dataDir,
    repo: join(dataDir, 'demo-repo'),
    output,
    status: () => getJson(`${url}/api/status`),
    /** The newest `limit` events, in seq order. */
    events: async (limit = 200) => (await getJson(`${url}/api/events?newest=1&limit=${limit}`)).items.slice().sort((a, b) => a.seq - b.seq),
    stop: () => stopChild(child),
  };
}

/** Services of the first project's `env` as a map name → status row. */
export function servicesIn(status, env = 'dev') {
  const e = status.projects[0]?.environments.find((x) => x.name === env);
  return new Map((e?.services ?? []).map((s) => [s.service, s]));
}

/** Resolves with the status once every demo service is healthy in `env` (dev by default); polls every `intervalMs`. */
export function allHealthy(demo, timeoutMs = 90_000, intervalMs = 50, env = 'dev') {
  return waitFor(
    `api, web and worker healthy in ${env}`,
    async () => {
      if (demo.child.exitCode !== null) throw fatal(`the demo exited with ${demo.child.exitCode}: ${demo.output()}`);
      const svc = servicesIn(await demo.status(), env);
      return demoServices.every((n) => svc.get(n)?.health === 'healthy') ? svc : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}

/** Resolves with api's status row in `env` once it runs healthy there at another release than `before`'s. */
export function newApiIn(demo, env, before, timeoutMs, what = `api at a new release, healthy in ${env}`) {
  return waitFor(
    what,
    async () => {
      const now = servicesIn(await demo.status(), env).get('api');
      return now && now.health === 'healthy' && now.releaseId !== before?.releaseId ? now : undefined;
    },
    timeoutMs,
    50,
  );
}

/** Sets the VERSION that the demo's api reports on /healthz, in the working tree of `repo` (not committed). */
export function setApiVersion(repo, version) {
  const file = join(repo, 'services/api/src/version.mjs');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/VERSION = '[^']*'/, `VERSION = '${version}'`));
}

/**
 * Edits the api VERSION and commits after a random pause of up to `maxPauseMs` (one poll interval, so that the commit
 * lands at a random point of the pollers' cycles); the clock starts when `git commit` returns: `t0` (performance.now)
 * and `epoch` (Date.now) are that moment, `sha` the commit.
 */
export async function commitApiVersion(repo, version, maxPauseMs) {
  await sleep(Math.random() * maxPauseMs);
  setApiVersion(repo, version);
  await git(repo, 'commit', '-q', '-a', '-m', `bench: api ${version}`);
  const t0 = performance.now();
  const epoch = Date.now();
  return { t0, epoch, sha: await git(repo, 'rev-parse', 'HEAD') };
}

/** The version a demo api at `url` reports on /healthz, or why it could not be read. */
export async function versionAt(url) {
  try {
    return (await getJson(`${url}/healthz`)).version;
  } catch (err) {
    return `unreachable (${err.message})`;
  }
}
