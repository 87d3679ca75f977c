#!/usr/bin/env node
// The baseline of bench/reconcile-idle.mjs: the simplest full check of N running services from a small Node program.
// For each service, `kill -0` of its pid and one GET of its health URL (no keep-alive, 1 s deadline), all at once.
//
// usage: node check-services.mjs <services.json>   (a JSON array of { pid, port, path })
// Each line "pass" on stdin runs one check of every service and answers one JSON line on stdout:
// { "ms": <wall time of the pass>, "healthy": <services that answered 2xx and whose pid is alive>, "total": N }.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const services = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function get(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode >= 200 && res.statusCode < 300));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'pass') continue;
  const t0 = performance.now();
  const ok = await Promise.all(services.map(async (s) => alive(s.pid) && (await get(s.port, s.path))));
  const ms = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ ms, healthy: ok.filter(Boolean).length, total: services.length })}\n`);
}
