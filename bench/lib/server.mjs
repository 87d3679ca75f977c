// Starts `slipway server` as a child process, adds projects over the API and listens to its event stream (SSE).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stopChild } from './processes.mjs';
import { fatal, getJson, repoRoot, waitFor } from './util.mjs';

/** Extra node flags for the Slipway processes, e.g. BENCH_NODE_ARGS=--cpu-prof to profile the server under load. */
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Spawns `slipway <args>` with its output collected; `pid` is the node process running bin/slipway.mjs itself. The log
 * level is `warn` unless `logLevel` says otherwise (`info` logs each job's duration and each instance start).
 */
export function spawnSlipway(args, port, { logLevel = 'warn' } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'bin', 'slipway.mjs'), ...args, '--port', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', SLIPWAY_LOG_LEVEL: logLevel },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

/** Spawns `slipway server` on loopback and waits until it answers. */
export async function spawnServer(dataDir, port) {
  const { child, url, output: read } = spawnSlipway(['server', '--data-dir', dataDir, '--host', '127.0.0.1'], port);
  await waitFor('the server to answer /healthz', async () => {
    if (child.exitCode !== null) throw fatal(`slipway server exited with ${child.exitCode}: ${read()}`);
    return (await fetch(`${url}/healthz`)).ok;
  }, 30_000);
  return {
    child,
    pid: child.pid,
    url,
    output: read,
    getJson: (path) => getJson(`${url}${path}`, 10_000),
    async post(path, body, method = 'POST') {
      const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop: () => stopChild(child),
  };
}

/** Jobs in the durable queue that are not finished, from /metrics. */
export async function queueDepth(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return [...text.matchAll(/^slipway_queue_depth\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/**
 * Follows an SSE stream of events, calling `onEvent(event, arrivedAt)` with performance.now() at arrival. Works for
 * Slipway's /api/events and for the baseline's stream, which use the same `data: <json>` lines.
 */
export async function followEvents(url, onEvent) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (data) onEvent(JSON.parse(data), at);
        }
      }
    } catch (err) {
      if (err.name !== 'AbortError') throw err;
    }
  })();
  return { close: () => (controller.abort(), done) };
}
