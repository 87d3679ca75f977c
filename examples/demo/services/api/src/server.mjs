import { createApp } from './app.mjs';
import { VERSION } from './version.mjs';

// Loopback on the host; a container target sets HOST=0.0.0.0 so that its published port reaches the service.
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 7101);
// FAIL_RATE=0.3 makes 30 % of requests fail (the demo's switch for a bad release; see the demo README).
const server = createApp({ failRate: Number(process.env.FAIL_RATE ?? 0) });
server.listen(port, host, () => console.log(`api ${VERSION} listening on http://${host}:${server.address().port}`));

// Slipway stops an instance with SIGTERM: exit at once instead of waiting for idle keep-alive connections.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
