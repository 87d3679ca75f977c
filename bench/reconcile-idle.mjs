#!/usr/bin/env node
// Benchmark: one reconcile pass of an environment of 500 running services where nothing changed (target ≤ 1 s, and
// nothing written), side by side with the simplest check of the same services: a Node program that does `kill -0` and
// one health GET per service, all at once (bench/baseline/check-services.mjs), and a bash script with one curl for
// every URL (bench/baseline/check-services.sh).
//
//   node bench/reconcile-idle.mjs [--services 500] [--passes 10] [--warmup 2] [--auto-ports 1]
//   BENCH_CPU_PROFILE=/tmp/reconcile.cpuprofile node bench/reconcile-idle.mjs    # profile the measured passes
//
// The components are the real ones, bundled from source with esbuild as the server is: the environment.reconcile job
// handler (createReconcileHandler), the SQLite store in a temp dir and the local-process driver. The project is a
// slipway.yaml of 500 services parsed by parseConfig, each service a real process: a tiny static HTTP server
// (bench/tools/tiny-http.c, under 1 MB resident; 500 Node processes would need ~20 GB), started by the driver through
// `sh -c` as any service command, behind the driver's stable-port proxy. The release is recorded in the store as the
// release handler records one, and a first pass of the handler deploys all 500 services (with a running promotion);
// the measured passes then find nothing to change. Each service's stable port is configured (`port:`), in a free block
// below the kernel's ephemeral range; with --auto-ports 1 Slipway chooses them, and the first deploy fails (see the docs).
//
// Writes are counted three ways: PRAGMA data_version read from a second SQLite connection before and after each pass
// (it changes when any other connection commits a change); the calls of the store's write methods, through a wrapper
// around the store (putServiceStatus counted apart, with how many said they changed a row); and every file under the
// data dir (database, WAL, the driver's state.json, logs) by size and mtime.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { interleave, machineLine, printTable, timeSpawn } from './lib/measure.mjs';
import { processesUnder, statusKb } from './lib/processes.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadEntry } from './lib/runner.mjs';
import { median, numberFlags, repoRoot, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ services: 500, passes: 10, warmup: 2, 'auto-ports': 0 });
if (opts.services < 1 || opts.passes < 1) throw new Error('--services and --passes need at least 1');
const targetMs = 1_000;
const root = tempRoot('reconcile-idle');
const dataDir = join(root, 'data');
const stopping = [];

const entry = `
export { parseConfig, systemClock } from '@slipway/core';
export { createSqliteStore } from '@slipway/store';
export { createLocalDriver } from '@slipway/driver-local';
export { createReconcileHandler } from './packages/engine/src/deploy/reconcile-handler.ts';
export { createEventBus } from './packages/engine/src/events/event-bus.ts';
export { silentLogger } from './packages/engine/src/logger.ts';
`;

/** Compiles the tiny HTTP server; static when the C library allows it, so that each instance maps as little as possible. */
async function buildService() {
  const out = join(root, 'bin', 'tiny-http');
  mkdirSync(join(root, 'bin'), { recursive: true });
  const source = join(repoRoot, 'bench', 'tools', 'tiny-http.c');
  try {
    await timeSpawn(['cc', '-O2', '-static', '-o', out, source]);
  } catch {
    await timeSpawn(['cc', '-O2', '-o', out, source]);
  }
  return out;
}

const name = (i) => `s${String(i + 1).padStart(3, '0')}`;

/**
 * The first of `n` consecutive ports that are free on loopback, below the kernel's ephemeral range (32768 and up on
 * Linux), where no port chosen with bind(0) or used by an outgoing connection can take one of them.
 */
async function freeBlock(n) {
  const free = (port) =>
    new Promise((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
  for (let base = 20_000; base + n < 32_768; base += 1_000) {
    let ok = true;
    for (let p = base; p < base + n && ok; p++) ok = await free(p);
    if (ok) return base;
  }
  throw new Error(`no ${n} consecutive free ports between 20000 and 32767`);
}

function slipwayYaml(n, binary, portBase) {
  const lines = ['# reconcile-idle: many small services in one environment.', 'project: idle', 'services:'];
  for (let i = 0; i < n; i++) {
    // A short probe interval: the first probe of a new instance often comes before it listens, and 500 deploys one after
    // another at the default 250 ms would take two minutes. Idle passes probe once per service either way.
    lines.push(`  ${name(i)}:`, `    path: services/${name(i)}`, `    command: exec ${binary}`, '    health:', '      path: /healthz', '      intervalSeconds: 0.02');
    if (portBase) lines.push(`    port: ${portBase + i}`);
  }
  lines.push('environments:', '  dev: {}', '');
  return lines.join('\n');
}

const writeMethod = (method) => !/^(get|list|find|read|count|queueDepth|migrate|close)/.test(method);

/** The store, with each call counted and timed; write methods apart, putServiceStatus apart with its result. */
function countingStore(store, tally) {
  return new Proxy(store, {
    get(target, prop) {
      const value = target[prop];
      if (typeof value !== 'function') return value;
      return async (...args) => {
        const t0 = performance.now();
        try {
          const result = await value.apply(target, args);
          if (prop === 'putServiceStatus') {
            tally.statusCalls++;
            if (result) tally.statusChanged++;
          } else if (writeMethod(prop)) {
            tally.writes.push(prop);
          }
          return result;
        } finally {
          tally.storeMs += performance.now() - t0;
          tally.storeCalls++;
        }
      };
    },
  });
}

/** The driver, with the time spent observing (waiting for every service's probe) added up. */
function timingDriver(driver, tally) {
  return new Proxy(driver, {
    get(target, prop) {
      const value = target[prop];
      if (prop !== 'observe') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args) => {
        const t0 = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          tally.observeMs += performance.now() - t0;
          tally.observes++;
        }
      };
    },
  });
}

const newTally = () => ({ writes: [], statusCalls: 0, statusChanged: 0, storeCalls: 0, storeMs: 0, observeMs: 0, observes: 0 });

/** Size and mtime of every file under `dir`, to tell afterwards which ones were written. */
function fileSnapshot(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

const changedFiles = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));

/** The Node baseline as a child that checks every service once per "pass" line it reads. */
function startNodeBaseline(servicesFile) {
  const child = spawn(process.execPath, [join(repoRoot, 'bench', 'baseline', 'check-services.mjs'), servicesFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async pass() {
      child.stdin.write('pass\n');
      const { value, done } = await lines.next();
      if (done) throw new Error(`the Node baseline exited with ${child.exitCode}`);
      return JSON.parse(value);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

await runBenchmark(async () => {
  console.log(`${opts.services} services, ${opts.passes} passes after ${opts.warmup} warm-up; ${await machineLine()}`);
  const [parts, binary] = await Promise.all([loadEntry(entry, 'reconcile'), buildService()]);
  // Stable ports are configured. Left to Slipway, renderDesiredState picks all 500 up front, each by binding port 0 and
  // closing it; the kernel hands out the same port again now and then (12–26 repeats in 500 picks here), so two
  // services get one port and the second proxy fails with EADDRINUSE (--auto-ports 1 shows it).
  const portBase = opts['auto-ports'] ? 0 : await freeBlock(opts.services);
  console.log(portBase ? `stable ports ${portBase}–${portBase + opts.services - 1} (configured)` : 'stable ports chosen by Slipway');
  const parsed = parts.parseConfig(slipwayYaml(opts.services, binary, portBase));
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format?.() ?? String(e)).join('\n'));
  const config = parsed.value;

  const tally = newTally();
  const rawStore = await parts.createSqliteStore({ file: join(dataDir, 'slipway.db') });
  stopping.push(() => rawStore.close());
  const store = countingStore(rawStore, tally);
  const rawDriver = await parts.createLocalDriver({ stateDir: join(dataDir, 'targets', 'local') });
  stopping.unshift(() => rawDriver.stopAll());
  const driver = timingDriver(rawDriver, tally);

  // The project, its environment and a release, recorded as commit.process and release.evaluate record them.
  const project = await store.createProject({ name: 'idle', repoUrl: join(root, 'repo'), branch: 'main', pollIntervalMs: 60_000 });
  const [env] = await store.syncEnvironments(project.id, Object.entries(config.environments).map(([envName, e], position) => ({ name: envName, position, targetType: e.target.type, policy: e.policy })));
  const sha = createHash('sha1').update('reconcile-idle').digest('hex');
  const services = {};
  for (const [svc, spec] of Object.entries(config.services)) {
    const artifact = join(dataDir, 'artifacts', project.id, svc, 'r1', spec.path);
    mkdirSync(artifact, { recursive: true });
    const overrides = Object.fromEntries(Object.entries(config.environments).map(([envName, e]) => [envName, e.overrides[svc] ?? {}]));
    services[svc] = { revision: createHash('sha256').update(svc).digest('hex').slice(0, 16), commitSha: sha, artifact, config: { ...spec, overrides } };
  }
  const release = await store.createRelease({ projectId: project.id, commitSha: sha, services, changedServices: Object.keys(services) });
  const promotion = await store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: 'promote', reason: 'reconcile-idle setup' });
  await store.updatePromotion(promotion.id, { phase: 'running' }, ['pending']);
  await store.updateEnvironment(env.id, { desiredReleaseId: release.id });

  const ctx = {
    store,
    driver,
    bus: parts.createEventBus(store),
    logger: parts.silentLogger,
    clock: parts.systemClock,
    dataDir,
    cancellers: new Map(),
    snapshots: new Map(),
    enqueue: async (kind, payload, options) => void (await store.enqueue({ kind, payload, ...options })),
  };
  const handler = parts.createReconcileHandler(ctx);
  const item = { id: 'q_reconcile_idle', kind: 'environment.reconcile', payload: { environmentId: env.id }, attempts: 1 };
  const signal = new AbortController().signal;

  let t0 = performance.now();
  await handler(item, signal);
  const deployMs = performance.now() - t0;
  const statuses = await rawStore.listServiceStatus(env.id);
  const healthy = statuses.filter((s) => s.health === 'healthy' && s.sync === 'synced').length;
  const [deployment] = await rawStore.listDeployments({ environmentId: env.id, limit: 1 });
  console.log(`first deploy of ${opts.services} services: ${(deployMs / 1000).toFixed(1)} s; deployment ${deployment?.phase}${deployment?.message ? ` (${deployment.message.slice(0, 500)})` : ''}; ${healthy} healthy and synced`);
  if (healthy !== opts.services) throw new Error(`only ${healthy} of ${opts.services} services are healthy and synced after the first deploy`);

  // The first pass after a deploy settles the status rows (a deploy leaves its last progress message on each row, which
  // the next pass clears); it is reported apart, and the idle passes start after it.
  const before = new Map((await rawStore.listServiceStatus(env.id)).map((r) => [r.service, r]));
  Object.assign(tally, newTally());
  t0 = performance.now();
  await handler(item, signal);
  const settleMs = performance.now() - t0;
  const after = await rawStore.listServiceStatus(env.id);
  const fields = new Set(after.flatMap((r) => Object.keys(r).filter((k) => k !== 'updatedAt' && JSON.stringify(r[k]) !== JSON.stringify(before.get(r.service)?.[k]))));
  const example = after.find((r) => r.message !== before.get(r.service)?.message);
  console.log(`first pass after the deploy: ${settleMs.toFixed(0)} ms; ${tally.statusChanged} status rows changed (fields: ${[...fields].join(', ') || 'none'}${example ? `; e.g. message "${before.get(example.service).message}" → ${JSON.stringify(example.message)}` : ''}); other store writes: ${tally.writes.join(', ') || 'none'}`);

  // What the baselines check: the same instances (pid and instance port, as the driver probes them).
  const observed = await rawDriver.observe(env.id, Object.keys(services));
  const list = observed.services.map((s) => ({ pid: s.instances[0].pid, port: s.instances[0].port, path: '/healthz' }));
  writeFileSync(join(root, 'services.json'), JSON.stringify(list));
  writeFileSync(join(root, 'services.txt'), list.map((s) => `${s.pid} ${s.port} ${s.path}\n`).join(''));
  const nodeBaseline = startNodeBaseline(join(root, 'services.json'));
  stopping.unshift(() => nodeBaseline.stop());

  const reader = new Database(join(dataDir, 'slipway.db'), { readonly: true });
  stopping.push(() => reader.close());
  const dataVersion = () => reader.pragma('data_version', { simple: true });

  const profileFile = process.env.BENCH_CPU_PROFILE;
  let session;
  if (profileFile) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }

  const results = await interleave({
    Slipway: async () => {
      Object.assign(tally, newTally());
      const [v0, files0] = [dataVersion(), fileSnapshot(dataDir)];
      t0 = performance.now();
      await handler(item, signal);
      const ms = performance.now() - t0;
      const [v1, files1] = [dataVersion(), fileSnapshot(dataDir)];
      return { ms, committed: v1 !== v0, files: changedFiles(files0, files1), ...structuredClone(tally) };
    },
    'baseline (Node)': async () => {
      const r = await nodeBaseline.pass();
      if (r.healthy !== r.total) throw new Error(`the Node baseline found ${r.healthy} of ${r.total} healthy`);
      return r;
    },
    'baseline (bash + curl)': async () => {
      const r = await timeSpawn(['bash', join(repoRoot, 'bench', 'baseline', 'check-services.sh'), join(root, 'services.txt')]);
      if (Number(r.stdout.trim()) !== opts.services) throw new Error(`the bash baseline found ${r.stdout.trim()} of ${opts.services} healthy`);
      return r;
    },
  }, { rounds: opts.passes, warmup: opts.warmup });

  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured rounds written to ${profileFile}`);
  }

  printTable(`one pass over ${opts.services} services with nothing to change, ${opts.passes} rounds:`, [
    ['Slipway (environment.reconcile handler)', results.Slipway],
    ['baseline (Node: kill -0 + GET, all at once)', results['baseline (Node)']],
    ['baseline (bash: kill -0, one curl for all)', results['baseline (bash + curl)']],
  ]);
  const m = (xs) => median(xs);
  const s = results.Slipway;
  const sm = m(s.map((r) => r.ms));
  console.log(`  ratio Slipway/baseline (Node) of medians: ${(sm / m(results['baseline (Node)'].map((r) => r.ms))).toFixed(2)}; Slipway/baseline (bash): ${(sm / m(results['baseline (bash + curl)'].map((r) => r.ms))).toFixed(2)}`);
  console.log(`\nwhere Slipway's pass goes (medians, ms): observe ${m(s.map((r) => r.observeMs)).toFixed(1)} in ${s[0].observes} calls; store ${m(s.map((r) => r.storeMs)).toFixed(1)} in ${s[0].storeCalls} calls; the rest ${m(s.map((r) => r.ms - r.observeMs - r.storeMs)).toFixed(1)}`);
  const committed = s.filter((r) => r.committed).length;
  const writes = s.flatMap((r) => r.writes);
  const files = [...new Set(s.flatMap((r) => r.files))];
  const changedRows = s.reduce((n, r) => n + r.statusChanged, 0);
  console.log('\nwrites during the measured passes:');
  console.log(`  SQLite commits seen by a second connection (data_version changed): ${committed} of ${s.length} passes`);
  console.log(`  store write calls: ${writes.length ? writes.join(', ') : 'none'}; putServiceStatus ${s[0].statusCalls} calls per pass, ${changedRows} changed a row`);
  console.log(`  files changed under the data dir: ${files.length ? files.join(', ') : 'none'}`);
  // The same pass as the engine schedules it every 5 s: the resync enqueues the job (one per environment, deduplicated),
  // the worker claims it, runs the handler and completes it. Which of these steps commit to the database?
  const steps = { enqueue: 0, claim: 0, handler: 0, complete: 0 };
  const rows = () => reader.prepare('select count(*) as n from queue_items').get().n;
  const rows0 = rows();
  const scheduled = [];
  const scheduledRuns = 3;
  for (let i = 0; i < scheduledRuns; i++) {
    let v = dataVersion();
    const step = async (label, work) => {
      const result = await work();
      const now = dataVersion();
      if (now !== v) steps[label]++;
      v = now;
      return result;
    };
    const start = performance.now();
    await step('enqueue', () => rawStore.enqueue({ kind: 'environment.reconcile', payload: { environmentId: env.id }, dedupeKey: `env:${env.id}` }));
    const claimed = await step('claim', () => rawStore.claim({ owner: 'reconcile-idle', leaseMs: 15_000, kinds: ['environment.reconcile'] }));
    await step('handler', () => handler(claimed, signal));
    await step('complete', () => rawStore.complete(claimed.id, 'reconcile-idle'));
    scheduled.push(performance.now() - start);
  }
  console.log(`  as scheduled (enqueue → claim → handler → complete), ${scheduledRuns} times: median ${median(scheduled).toFixed(1)} ms; passes that committed, per step: ${Object.entries(steps).map(([k, n]) => `${k} ${n}`).join(', ')}; queue rows ${rows0} → ${rows()}`);
  // The control: one real write must show up in both detectors, or their silence above would prove nothing.
  const [v0, files0] = [dataVersion(), fileSnapshot(dataDir)];
  await rawStore.updateEnvironment(env.id, { hold: 'reconcile-idle: a control write' });
  const controlFiles = changedFiles(files0, fileSnapshot(dataDir));
  console.log(`  control, one updateEnvironment after the passes: data_version ${dataVersion() !== v0 ? 'changed' : 'DID NOT change'}; files changed: ${controlFiles.join(', ') || 'NONE'}`);
  const worst = Math.max(...s.map((r) => r.ms));
  const clean = committed === 0 && writes.length === 0 && files.length === 0 && changedRows === 0;
  console.log(`  target ≤ 1 s (every pass) and nothing written: ${worst <= targetMs && clean ? 'met' : 'NOT met'} (median ${sm.toFixed(1)} ms, slowest ${worst.toFixed(1)} ms; ${clean ? 'no write' : 'writes seen'})`);

  const instances = processesUnder(root).filter((p) => p.comm === 'tiny-http');
  const rss = instances.reduce((n, p) => n + (statusKb(p.pid) ?? 0), 0);
  console.log(`\n${instances.length} service processes, ${(rss / 1024).toFixed(0)} MiB resident in all; this process (store, driver, ${opts.services} proxies) ${((statusKb(process.pid) ?? 0) / 1024).toFixed(0)} MiB`);
}, {
  root,
  cleanup: async () => {
    let ok = true;
    for (const stop of stopping) {
      try {
        await stop();
      } catch (err) {
        ok = false;
        console.error(`cleanup: ${err.message}`);
      }
    }
    return ok;
  },
});
