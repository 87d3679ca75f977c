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

/** The HTTP server, not yet listening. */
export function createApp() {
  return createServer((req, res) => {
    const { status, body } = route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}
