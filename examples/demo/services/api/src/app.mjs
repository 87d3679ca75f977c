import { createServer } from 'node:http';
import { VERSION } from './version.mjs';

export const SERVICE = 'api';

const ITEMS = [
  { id: 1, name: 'keel' },
  { id: 2, name: 'hull' },
  { id: 3, name: 'mast' },
];

/** Answers a request without any I/O, so that tests can call it directly. */
export function route(method, pathname) {
  if (method !== 'GET') return { status: 405, body: { error: 'method not allowed' } };
  switch (pathname) {
    case '/healthz':
      return { status: 200, body: { status: 'ok', service: SERVICE, version: VERSION } };
    case '/api/greeting':
      return { status: 200, body: { message: `Hello from the api, version ${VERSION}!`, version: VERSION } };
    case '/api/items':
      return { status: 200, body: { items: ITEMS } };
    default:
      return { status: 404, body: { error: `no route for ${pathname}` } };
  }
}

/**
 * The HTTP server, not yet listening. `failRate` (FAIL_RATE, 0–1) is the demo's switch for misbehaving: that share of
 * requests other than /healthz answers 500, spread evenly (0.3: 3 of every 10), so a canary analysis has something to
 * catch while the health check stays green.
 */
export function createApp({ failRate = 0 } = {}) {
  let served = 0;
  return createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/healthz' && failRate > 0) {
      const n = served++;
      if (Math.floor((n + 1) * failRate) > Math.floor(n * failRate)) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'failing on purpose (FAIL_RATE)' }));
        return;
      }
    }
    const { status, body } = route(req.method ?? 'GET', pathname);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}
