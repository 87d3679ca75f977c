import { createApp } from './app.mjs';
import { VERSION } from './version.mjs';

// Loopback on the host; a container target sets HOST=0.0.0.0 so that its published port reaches the service.
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 7100);
const server = createApp();
server.listen(port, host, () => console.log(`web ${VERSION} listening on http://${host}:${server.address().port} (api: ${process.env.API_URL ?? 'not set'})`));

// Slipway stops an instance with SIGTERM: exit at once instead of waiting for idle keep-alive connections.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
