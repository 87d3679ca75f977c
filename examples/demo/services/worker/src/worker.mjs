import { createApp } from './app.mjs';
import { createPoller } from './poller.mjs';
import { VERSION } from './version.mjs';

// Loopback on the host; a container target sets HOST=0.0.0.0 so that its published port reaches the service.
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 7102);
const apiUrl = process.env.API_URL;
// Log changes only, not every call: the worker runs all day.
const poller = createPoller({ apiUrl, onChange: (ok, stats) => console.log(ok ? `api reachable at ${apiUrl}` : `api call failed: ${stats.lastError}`) });
const server = createApp(poller);
server.listen(port, host, () => {
  console.log(`worker ${VERSION} listening on http://${host}:${server.address().port} (api: ${apiUrl ?? 'not set'})`);
  poller.start();
});

// Slipway stops an instance with SIGTERM: stop polling and exit at once.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    poller.stop();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
