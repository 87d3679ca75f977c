import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp, route } from '../src/app.mjs';
import { VERSION } from '../src/version.mjs';

test('healthz reports ok with the version', () => {
  assert.deepEqual(route('GET', '/healthz'), { status: 200, body: { status: 'ok', service: 'api', version: VERSION } });
});

test('greeting names the version', () => {
  const { status, body } = route('GET', '/api/greeting');
  assert.equal(status, 200);
  assert.equal(body.version, VERSION);
  assert.match(body.message, new RegExp(VERSION.replaceAll('.', '\\.')));
});

test('items is a small list', () => {
  const { status, body } = route('GET', '/api/items');
  assert.equal(status, 200);
  assert.ok(body.items.length > 0);
  for (const item of body.items) assert.deepEqual(Object.keys(item), ['id', 'name']);
});

test('unknown paths are 404 and other methods 405', () => {
  assert.equal(route('GET', '/nope').status, 404);
  assert.equal(route('POST', '/api/items').status, 405);
});

test('serves JSON over HTTP', async () => {
  const server = createApp();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/api/greeting`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal((await res.json()).version, VERSION);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('FAIL_RATE fails that share of requests, spread evenly, and never the health check', async () => {
  const server = createApp({ failRate: 0.3 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(`${base}/api/items`)).status);
    assert.equal(statuses.filter((s) => s === 500).length, 3);
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${base}/healthz`)).status, 200);
  } finally {
    server.close();
  }
});
