import { createApp } from './app.mjs';
import { VERSION } from './version.mjs';

const port = Number(process.env.PORT ?? 7101);
const server = createApp();
server.listen(port, '127.0.0.1', () => console.log(`api ${VERSION} listening on http://127.0.0.1:${server.address().port}`));

// Slipway stops an instance with SIGTERM: exit at once instead of waiting for idle keep-alive connections.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
