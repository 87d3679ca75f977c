import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExitInfo } from './instance.js';
import { probeHealth, waitForHealth } from './health-probe.js';
import { freePort } from './ports.js';

const host = '127.0.0.1';
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.writeHead(Number(req.url?.slice(1)) || 200);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const never = new Promise<ExitInfo>(() => {});

describe('probeHealth', () => {
  it.each([
    { path: '/200', want: { ok: true } },
    { path: '/204', want: { ok: true } },
    { path: '/301', want: { ok: false, detail: 'HTTP 301' } },
    { path: '/500', want: { ok: false, detail: 'HTTP 500' } },
    { path: '/hang', want: { ok: false, detail: 'no answer within 200ms' } },
  ])('GET $path → $want', async ({ path, want }) => {
    expect(await probeHealth(host, port, path, 200)).toEqual(want);
  });

  it('reports a refused connection', async () => {
    expect(await probeHealth(host, await freePort(host), '/', 500)).toEqual({ ok: false, detail: 'ECONNREFUSED' });
  });
});

describe('waitForHealth', () => {
  const base = { host, intervalMs: 20, timeoutMs: 300, exited: never };

  it('is healthy on the first 2xx', async () => {
    expect(await waitForHealth({ ...base, port, path: '/200' })).toEqual({ status: 'healthy' });
  });

  it('times out with the last failure', async () => {
    expect(await waitForHealth({ ...base, port, path: '/503' })).toEqual({ status: 'timeout', last: 'HTTP 503' });
  });

  it('stops as soon as the instance exits', async () => {
    const exit = { code: 1, signal: null };
    const started = Date.now();
    const outcome = await waitForHealth({ ...base, timeoutMs: 10_000, intervalMs: 5_000, port, path: '/500', exited: new Promise((resolve) => setTimeout(() => resolve(exit), 50)) });
    expect(outcome).toEqual({ status: 'exited', exit, last: 'HTTP 500' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops when aborted', async () => {
    const started = Date.now();
    const outcome = await waitForHealth({ ...base, timeoutMs: 10_000, intervalMs: 5_000, port, path: '/500', signal: AbortSignal.timeout(50) });
    expect(outcome).toMatchObject({ status: 'aborted' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
