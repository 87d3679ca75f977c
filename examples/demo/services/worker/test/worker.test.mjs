import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { createApp } from '../src/app.mjs';
import { createPoller } from '../src/poller.mjs';

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A URL where nothing listens: a port that was free a moment ago. */
async function closedUrl() {
  const { url, stop } = await listen(createServer());
  await stop();
  return url;
}

const fakeApi = () =>
  listen(
    createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] }));
    }),
  );

test('counts successful calls to the api', async () => {
  const api = await fakeApi();
  try {
    const poller = createPoller({ apiUrl: api.url });
    await poller.pollOnce();
    await poller.pollOnce();
    assert.deepEqual({ ...poller.stats(), lastCheckAt: undefined }, { successes: 2, failures: 0, lastItems: 2, lastError: null, lastCheckAt: undefined });
  } finally {
    await api.stop();
  }
});

test('counts failures when the api is down or not configured, and reports changes', async () => {
  const changes = [];
  const poller = createPoller({ apiUrl: await closedUrl(), onChange: (ok) => changes.push(ok) });
  await poller.pollOnce();
  await poller.pollOnce();
  assert.equal(poller.stats().failures, 2);
  assert.equal(poller.stats().lastError, 'ECONNREFUSED');
  assert.deepEqual(changes, [false]);
  const unset = createPoller({ apiUrl: undefined });
  await unset.pollOnce();
  assert.equal(unset.stats().lastError, 'API_URL is not set');
});

test('polls on an interval until stopped', async () => {
  const api = await fakeApi();
  const poller = createPoller({ apiUrl: api.url, intervalMs: 10 });
  try {
    poller.start();
    while (poller.stats().successes < 3) await new Promise((r) => setTimeout(r, 5));
  } finally {
    poller.stop();
    await api.stop();
  }
  const after = poller.stats().successes;
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(poller.stats().successes <= after + 1);
});

test('healthz answers 200 with the counters', async () => {
  const poller = createPoller({ apiUrl: await closedUrl() });
  await poller.pollOnce();
  const worker = await listen(createApp(poller));
  try {
    const res = await fetch(`${worker.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json().then(({ status, service, failures }) => ({ status, service, failures })), { status: 'ok', service: 'worker', failures: 1 });
  } finally {
    await worker.stop();
  }
});
