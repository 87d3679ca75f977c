import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on `host`: bind port 0, read the port, close. Another process may take the
 * port before the instance binds it; the health check then fails and the deploy reports it, which is acceptable for
 * a local target.
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((err) => (err || port === 0 ? reject(err ?? new Error('no port assigned')) : resolve(port)));
    });
  });
}
