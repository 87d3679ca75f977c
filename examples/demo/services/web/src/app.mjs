import { createServer } from 'node:http';
import { fetchGreeting } from './greeting.mjs';
import { VERSION } from './version.mjs';

export const SERVICE = 'web';

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The home page for a greeting result from fetchGreeting. */
export function renderPage(greeting) {
  const main = greeting.ok
    ? `<p class="greeting">${escapeHtml(greeting.message)}</p><p>api version <b>${escapeHtml(greeting.version)}</b></p>`
    : `<p class="degraded">The api is not available right now: ${escapeHtml(greeting.reason)}.</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Slipway demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}.degraded{color:#b45309}</style></head>
<body>
<h1>Slipway demo</h1>
${main}
<p>web version <b>${escapeHtml(VERSION)}</b></p>
</body>
</html>
`;
}

/** The HTTP server, not yet listening. The page is rendered on the server, from the api's answer. */
export function createApp({ apiUrl = process.env.API_URL, timeoutMs = 1000 } = {}) {
  return createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return send(res, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
    if (pathname === '/healthz') return send(res, 200, 'application/json', JSON.stringify({ status: 'ok', service: SERVICE, version: VERSION }));
    if (pathname === '/') return send(res, 200, 'text/html; charset=utf-8', renderPage(await fetchGreeting(apiUrl, timeoutMs)));
    send(res, 404, 'application/json', JSON.stringify({ error: `no route for ${pathname}` }));
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
