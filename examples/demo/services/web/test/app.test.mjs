import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { createApp, renderPage } from '../src/app.mjs';
import { fetchGreeting } from '../src/greeting.mjs';

/** Starts a server on a free port and returns its URL and a stop function. */
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

/** A stand-in for the api that answers the greeting after `delayMs`. */
const fakeApi = (delayMs = 0) =>
  listen(
    createServer((req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Hello <from> the fake api', version: '9.9.9' }));
      }, delayMs);
    }),
  );

test('renders the greeting, HTML-escaped', () => {
  const html = renderPage({ ok: true, message: 'Hi <b>', version: '2.0.0' });
  assert.match(html, /Hi &#60;b&#62;/);
  assert.match(html, /api version <b>2\.0\.0<\/b>/);
});

test('renders a degraded page when the api is down', () => {
  assert.match(renderPage({ ok: false, reason: 'the api is unreachable' }), /not available right now: the api is unreachable/);
});

test('fetches the greeting from the api', async () => {
  const api = await fakeApi();
  try {
    assert.deepEqual(await fetchGreeting(api.url), { ok: true, message: 'Hello <from> the fake api', version: '9.9.9' });
  } finally {
    await api.stop();
  }
});

test('gives up on a slow api after the timeout', async () => {
  const api = await fakeApi(200);
  try {
    const result = await fetchGreeting(api.url, 20);
    assert.equal(result.ok, false);
    assert.match(result.reason, /within 20 ms/);
  } finally {
    await api.stop();
  }
});

test('serves the page and healthz with 200 even when the api is unreachable', async () => {
  const web = await listen(createApp({ apiUrl: await closedUrl(), timeoutMs: 200 }));
  try {
    const page = await fetch(`${web.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /not available right now: the api is unreachable \(ECONNREFUSED\)/);
    const health = await fetch(`${web.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, 'ok');
  } finally {
    await web.stop();
  }
});

test('serves the page with the api greeting', async () => {
  const api = await fakeApi();
  const web = await listen(createApp({ apiUrl: api.url }));
  try {
    const html = await (await fetch(`${web.url}/`)).text();
    assert.match(html, /Hello &#60;from&#62; the fake api/);
  } finally {
    await web.stop();
    await api.stop();
  }
});
