#!/usr/bin/env node
// Benchmark: the stable-port proxy's latency overhead (issue 7: at 1,000 req/s the proxy adds ≤ 1 ms at p50 and ≤ 5 ms
// at p99, against going direct). Three processes, so that the load generator, the proxy and the service do not share
// one event loop:
//   - upstream (child A): the demo's api (examples/demo/services/api/src/server.mjs, a plain node:http server answering
//     GET /api/items with 80 bytes of JSON), on a free loopback port; a second one (child C) is the canary.
//   - proxy (child B): this script again, in its proxy role: the real startServiceProxy of @slipway/driver-local (bundled
//     from source with esbuild through bench/lib/runner.mjs, as the server bundles it), upstreams [A], version
//     `stable`, driven over IPC, as it runs inside the Slipway server's process.
//   - load generator: this process. Open loop at a fixed rate: request i is due at t0 + i / rate and is sent then,
//     whatever the earlier ones are doing (a timer sends every request that is due), through a keep-alive http.Agent
//     with at most 64 sockets (a new agent per variant and round, the same settings for every variant). Latency runs
//     from the request's scheduled time to the end of its response, so a stall counts for every request it delays
//     (no coordinated omission); the generator's own lag (send − scheduled) is reported apart.
// Side by side in the same rounds, order rotating (interleave), one warm-up round not counted:
//   - direct: the requests go to A's port.
//   - proxy: the same requests to the proxy's port, which forwards them to A and records each one (TrafficRecorder).
//   - proxy, canary 10 %: the same, with setCanary({ version: 'canary', ports: [C], weight: 10 }) for the round: every
//     10th request goes to C, and the proxy records both versions.
// Per variant and round: p50, p99, p99.9 and max latency, the achieved send rate, errors (anything but a 200 with its
// whole body, must be 0) and the CPU of each process; the results are medians over rounds. Overhead = proxy − direct at
// p50 and p99, the median of per-round differences. Loopback only; each round sends rate × seconds requests.
//
//   node bench/proxy-overhead.mjs [--rounds 5] [--rate 1000] [--seconds 5]
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { interleave, ms, printTable, stats } from './lib/measure.mjs';
import { stopChild, tracker } from './lib/processes.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadEntry } from './lib/runner.mjs';
import { fatal, median, numberFlags, repoRoot, tempRoot, waitFor } from './lib/util.mjs';

const role = process.env.SLIPWAY_BENCH_PROXY_ROLE;
if (role === 'proxy') await proxyChild();
else await parent();

/** The proxy's process: starts startServiceProxy, reports its port, then obeys the bench's messages. */
async function proxyChild() {
  const { startServiceProxy } = await loadEntry("export { startServiceProxy } from '@slipway/driver-local';", 'proxy-overhead');
  const proxy = await startServiceProxy({ host: '127.0.0.1', port: 0 });
  process.on('message', (m) => {
    if (m.cmd === 'upstreams') {
      proxy.setUpstreams(m.ports);
      proxy.setVersion(m.version);
    } else if (m.cmd === 'canary') proxy.setCanary(m.canary);
    // Requests per version since the proxy started, as /metrics exports them.
    const totals = Object.fromEntries([...proxy.traffic.totals()].map(([v, t]) => [v, { requests: t.requests, errors: t.errors }]));
    process.send({ id: m.id, totals });
  });
  process.on('disconnect', () => void proxy.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
  process.send({ port: proxy.port });
}

async function parent() {
  const opts = numberFlags({ rounds: 5, rate: 1000, seconds: 5 });
  if (opts.rounds < 1 || opts.rate < 1 || opts.seconds <= 0) throw new Error('--rounds, --rate and --seconds need at least 1');
  const targets = { p50: 1, p99: 5 };
  const maxSockets = 64;
  const path = '/api/items';
  const expectedBody = '{"items":[{"id":1,"name":"keel"},{"id":2,"name":"hull"},{"id":3,"name":"mast"}]}';
  const root = tempRoot('proxy-overhead');
  const began = performance.now();
  const { running, track } = tracker();
  const hz = 100; // clock ticks per second of /proc/<pid>/stat (USER_HZ)

  /** CPU seconds (user + system) of a process so far. */
  const cpuOf = (pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / hz;
  };

  /** Starts the demo's api as child process (cwd under the temp root, for the clean-up check) on a free port. */
  async function startUpstream(name) {
    const child = spawn(process.execPath, [join(repoRoot, 'examples', 'demo', 'services', 'api', 'src', 'server.mjs')], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const proc = track({ name, pid: child.pid, stop: () => stopChild(child) });
    proc.port = await waitFor(`${name} to listen`, async () => {
      if (child.exitCode !== null) throw fatal(`${name} exited with ${child.exitCode}: ${output}`);
      return Number(output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1]) || undefined;
    }, 10_000, 20);
    return proc;
  }

  /** Starts this script in its proxy role (child B) and returns its port and an IPC call. */
  async function startProxy() {
    const child = fork(fileURLToPath(import.meta.url), [], { cwd: root, env: { ...process.env, SLIPWAY_BENCH_PROXY_ROLE: 'proxy' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const proc = track({ name: 'proxy', pid: child.pid, stop: () => stopChild(child) });
    let calls = 0;
    const pending = new Map();
    child.on('message', (m) => {
      if (m.port) proc.port = m.port;
      else {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
    await waitFor('the proxy to listen', async () => {
      if (child.exitCode !== null) throw fatal(`the proxy exited with ${child.exitCode}`);
      return proc.port;
    }, 60_000, 20);
    proc.call = (message) => new Promise((resolve) => {
      const id = ++calls;
      pending.set(id, resolve);
      child.send({ ...message, id });
    });
    return proc;
  }

  function percentile(sorted, p) {
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
  }

  /**
   * One round of open-loop load on `port`: rate × seconds GETs, request i due at t0 + i / rate. Resolves once every
   * request has ended (or failed), with the latency percentiles from the scheduled time, the send rate and the errors.
   */
  function load(port) {
    const n = Math.round(opts.rate * opts.seconds);
    const interval = 1000 / opts.rate;
    const agent = new Agent({ keepAlive: true, maxSockets });
    const latency = new Float64Array(n).fill(Infinity);
    const lag = new Float64Array(n);
    const errors = new Map();
    let ended = 0;
    let lastSend = 0;
    const t0 = performance.now() + 20;
    return new Promise((resolve) => {
      const fail = (why) => errors.set(why, (errors.get(why) ?? 0) + 1);
      const done = () => {
        if (++ended < n) return;
        agent.destroy();
        const sorted = Float64Array.from(latency).sort();
        const lags = Float64Array.from(lag).sort();
        const failed = [...errors.values()].reduce((a, b) => a + b, 0);
        resolve({
          ms: percentile(sorted, 99),
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          p999: percentile(sorted, 99.9),
          max: sorted[n - 1],
          rate: n > 1 ? ((n - 1) * 1000) / (lastSend - t0 - lag[0]) : NaN,
          lagP50: percentile(lags, 50),
          lagP99: percentile(lags, 99),
          errors: failed,
          why: Object.fromEntries(errors),
        });
      };
      const send = (i) => {
        const due = t0 + i * interval;
        const sentAt = performance.now();
        lag[i] = sentAt - due;
        lastSend = sentAt;
        let finished = false;
        const end = (why) => {
          if (finished) return;
          finished = true;
          if (why) fail(why);
          else latency[i] = performance.now() - due;
          done();
        };
        const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => end(res.statusCode !== 200 ? `HTTP ${res.statusCode}` : body !== expectedBody ? 'wrong body' : undefined));
          res.on('error', (err) => end(err.code ?? err.message));
        });
        req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout after 10 s' })));
        req.on('error', (err) => end(err.code ?? err.message));
        req.end();
      };
      let next = 0;
      const tick = () => {
        const now = performance.now();
        while (next < n && t0 + next * interval <= now) send(next++);
        if (next < n) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
      };
      setTimeout(tick, Math.max(0, t0 - performance.now()));
    });
  }

  /** Runs one round of load against `port` and adds the CPU each process used during it (% of one core). */
  async function round(port, procs, before = async () => {}, after = async () => {}) {
    await before();
    const cpu0 = procs.map((p) => cpuOf(p.pid));
    const self0 = process.cpuUsage();
    const w0 = performance.now();
    const r = await load(port);
    const wall = (performance.now() - w0) / 1000;
    const self = process.cpuUsage(self0);
    r.cpu = Object.fromEntries(procs.map((p, i) => [p.name, (100 * (cpuOf(p.pid) - cpu0[i])) / wall]));
    r.cpu.generator = (100 * (self.user + self.system)) / 1e6 / wall;
    await after(r);
    return r;
  }

  async function main() {
    const upstream = await startUpstream('upstream');
    const canaryUpstream = await startUpstream('canary');
    const proxy = await startProxy();
    await proxy.call({ cmd: 'upstreams', ports: [upstream.port], version: 'stable' });
    const procs = [upstream, canaryUpstream, proxy];
    console.log(
      `upstream (demo api) on :${upstream.port} pid ${upstream.pid}, canary on :${canaryUpstream.port} pid ${canaryUpstream.pid}, proxy on :${proxy.port} pid ${proxy.pid}, load generator pid ${process.pid}`,
    );
    const n = Math.round(opts.rate * opts.seconds);
    console.log(`GET ${path}, ${n} requests a round at ${opts.rate}/s (${opts.seconds} s), open loop, keep-alive agent of ≤ ${maxSockets} sockets; ${opts.rounds} rounds after one warm-up round`);

    const show = (name, r) =>
      console.log(
        `  ${name.padEnd(18)} p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)}  p99.9 ${r.p999.toFixed(2)}  max ${r.max.toFixed(1)} ms; ${r.rate.toFixed(0)}/s; errors ${r.errors}${r.errors ? ` ${JSON.stringify(r.why)}` : ''}; lag p99 ${r.lagP99.toFixed(2)} ms; CPU ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v.toFixed(0)} %`).join(', ')}`,
      );
    const share = (totals0, totals1) => {
      const d = (v) => (totals1[v]?.requests ?? 0) - (totals0[v]?.requests ?? 0);
      return { stable: d('stable'), canary: d('canary') };
    };
    let totals;
    const recorded = (name) => async (r) => {
      const now = (await proxy.call({ cmd: 'totals' })).totals;
      r.recorded = share(totals, now);
      show(name, r);
    };
    const since = async () => void (totals = (await proxy.call({ cmd: 'totals' })).totals);
    const variants = {
      direct: () => round(upstream.port, procs, undefined, async (r) => show('direct', r)),
      proxy: () => round(proxy.port, procs, since, recorded('proxy')),
      'proxy, canary 10 %': () =>
        round(
          proxy.port,
          procs,
          async () => {
            await proxy.call({ cmd: 'canary', canary: { version: 'canary', ports: [canaryUpstream.port], weight: 10 } });
            await since();
          },
          async (r) => {
            await recorded('proxy, canary 10 %')(r);
            await proxy.call({ cmd: 'canary', canary: null });
          },
        ),
    };
    const out = await interleave(variants, { rounds: opts.rounds, log: (line) => console.log(`${line} (p99, whole ms)`) });
    const names = Object.keys(out);

    printTable('p50 latency, scheduled send → end of response (median of rounds):', names.map((name) => [name, out[name].map((r) => ({ ms: r.p50 }))]));
    printTable('p99 latency:', names.map((name) => [name, out[name].map((r) => ({ ms: r.p99 }))]));

    const med = (name, key) => median(out[name].map((r) => r[key]));
    const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
    console.log(`\nper variant, medians of ${opts.rounds} rounds (ms; CPU in % of one core while the variant ran):`);
    console.log(`  ${'variant'.padEnd(18)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'p99.9'.padStart(6)} ${'max'.padStart(6)} ${'rate/s'.padStart(7)} ${'errors'.padStart(6)} ${'lag p50'.padStart(7)} ${'lag p99'.padStart(7)}  CPU: upstream, canary, proxy, generator`);
    for (const name of names) {
      const errors = out[name].reduce((a, r) => a + r.errors, 0);
      const cpu = ['upstream', 'canary', 'proxy', 'generator'].map((k) => median(out[name].map((r) => r.cpu[k])).toFixed(0)).join(', ');
      console.log(
        `  ${name.padEnd(18)} ${f2(med(name, 'p50')).padStart(6)} ${f2(med(name, 'p99')).padStart(6)} ${f2(med(name, 'p999')).padStart(6)} ${f2(med(name, 'max')).padStart(6)} ${med(name, 'rate').toFixed(1).padStart(7)} ${String(errors).padStart(6)} ${f2(med(name, 'lagP50')).padStart(7)} ${f2(med(name, 'lagP99')).padStart(7)}  ${cpu}`,
      );
    }
    for (const name of names.filter((x) => x !== 'direct')) {
      const recorded = out[name].map((r) => r.recorded);
      const canaryShare = median(recorded.map((x) => (100 * x.canary) / (x.stable + x.canary)));
      const all = median(recorded.map((x) => x.stable + x.canary));
      console.log(`  ${name}: the proxy recorded ${all} requests a round (median), ${canaryShare.toFixed(1)} % of them for version canary`);
    }

    console.log('\noverhead against direct (median of per-round differences, min – max):');
    let allErrors = 0;
    for (const name of names.filter((x) => x !== 'direct')) {
      const diff = (key) => stats(out[name].map((r, i) => ({ ms: r[key] - out.direct[i][key] })));
      const p50 = diff('p50');
      const p99 = diff('p99');
      const p999 = diff('p999');
      const errors = out[name].reduce((a, r) => a + r.errors, 0) + out.direct.reduce((a, r) => a + r.errors, 0);
      allErrors += errors;
      const met = p50.median <= targets.p50 && p99.median <= targets.p99 && errors === 0;
      console.log(`  ${name.padEnd(18)} p50 ${ms(p50.median, 2)} (${ms(p50.min, 2)} – ${ms(p50.max, 2)}), p99 ${ms(p99.median, 2)} (${ms(p99.min, 2)} – ${ms(p99.max, 2)}), p99.9 ${ms(p999.median, 2)}`);
      console.log(`  ${''.padEnd(18)} target ≤ ${targets.p50} ms at p50 and ≤ ${targets.p99} ms at p99 with no errors: ${met ? 'met' : 'NOT met'}`);
    }
    if (allErrors) throw new Error(`${allErrors} request(s) failed (must be 0): see the per-round lines`);
  }

  await runBenchmark(main, {
    root,
    began,
    cleanup: async () => {
      for (const p of [...running].reverse()) await p.stop().catch((err) => console.error(`cleanup: ${p.name}: ${err.message}`));
      running.clear();
      return true;
    },
  });
}
