import { createServer } from 'node:http';
import { VERSION } from './version.mjs';

export const SERVICE = 'worker';

/** The worker's HTTP server, not yet listening: healthz with the poller's counters. */
export function createApp(poller) {
  return createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const [status, body] = req.method === 'GET' && pathname === '/healthz' ? [200, { status: 'ok', service: SERVICE, version: VERSION, ...poller.stats() }] : [404, { error: `no route for ${pathname}` }];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}
