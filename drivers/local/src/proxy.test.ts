import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './ports.js';
import { startServiceProxy, type ServiceProxy } from './proxy.js';

const host = '127.0.0.1';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function upstream(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function proxy(): Promise<ServiceProxy> {
  const p = await startServiceProxy({ host, port: 0 });
  closers.push(() => p.close());
  return p;
}

const url = (p: ServiceProxy, path = '/') => `http://${host}:${p.port}${path}`;

describe('service proxy', () => {
  it('answers 502 with a short text when no instance serves', async () => {
    const response = await fetch(url(await proxy()));
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/no instance/);
  });

  it('takes the replicas in turn', async () => {
    const p = await proxy();
    const a = await upstream((_q, r) => r.end('a'));
    const b = await upstream((_q, r) => r.end('b'));
    p.setUpstreams([a, b]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await fetch(url(p))).text());
    expect(answers).toEqual(['a', 'b', 'a', 'b']);
    expect(p.upstreams).toEqual([a, b]);
    expect(p.upstream).toBe(a);
  });

  it('answers 502 when the instance refuses connections', async () => {
    const p = await proxy();
    p.setUpstream(await freePort(host));
    const response = await fetch(url(p));
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/ECONNREFUSED/);
  });

  it('passes method, path, headers and body through, both ways', async () => {
    const port = await upstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'x-seen': `${req.method} ${req.url} ${req.headers['x-custom']}`, 'set-cookie': ['a=1', 'b=2'] });
        res.end(`echo:${Buffer.concat(chunks).toString()}`);
      });
    });
    const p = await proxy();
    p.setUpstream(port);
    const response = await fetch(url(p, '/items?q=1'), { method: 'POST', headers: { 'x-custom': 'yes' }, body: 'payload' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('POST /items?q=1 yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('echo:payload');
  });

  it('streams the response instead of buffering it', async () => {
    let release = () => {};
    const port = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      release = () => res.end('second');
    });
    const p = await proxy();
    p.setUpstream(port);
    const response = await fetch(url(p));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first;');
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += Buffer.from(chunk.value).toString();
    expect(rest).toBe('second');
  });

  it('sends new requests to the new upstream and drains the old one', async () => {
    let finishSlow: (() => void) | null = null;
    const oldPort = await upstream((req, res) => {
      if (req.url === '/slow') finishSlow = () => res.end('old-slow');
      else res.end('old');
    });
    const newPort = await upstream((_req, res) => res.end('new'));
    const p = await proxy();
    p.setUpstream(oldPort);
    const slow = fetch(url(p, '/slow')).then((r) => r.text());
    await waitUntil(() => finishSlow !== null);
    p.setUpstream(newPort);
    expect(p.upstream).toBe(newPort);
    expect(await (await fetch(url(p))).text()).toBe('new');

    let drained = false;
    const draining = p.drain(oldPort, 5_000).then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBe(false);
    finishSlow!();
    await draining;
    expect(await slow).toBe('old-slow');
  });

  it('stops waiting for a drain after the timeout', async () => {
    const port = await upstream(() => {});
    const p = await proxy();
    p.setUpstream(port);
    const hanging = rawGet(p.port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await p.drain(port, 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    hanging.destroy();
  });
});

function rawGet(port: number) {
  const req = request({ host, port, path: '/' });
  req.on('error', () => {});
  req.end();
  return req;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
