import { createApp } from './app.mjs';
import { createPoller } from './poller.mjs';
import { VERSION } from './version.mjs';

const port = Number(process.env.PORT ?? 7102);
const apiUrl = process.env.API_URL;
// Log changes only, not every call: the worker runs all day.
const poller = createPoller({ apiUrl, onChange: (ok, stats) => console.log(ok ? `api reachable at ${apiUrl}` : `api call failed: ${stats.lastError}`) });
const server = createApp(poller);
server.listen(port, '127.0.0.1', () => {
  console.log(`worker ${VERSION} listening on http://127.0.0.1:${server.address().port} (api: ${apiUrl ?? 'not set'})`);
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
