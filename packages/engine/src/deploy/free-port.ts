import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free port that is none of `taken`: the kernel may hand out a port it just gave (and that was closed again), so
 * stable ports chosen for several services in one go must be told apart here.
 */
export async function freePortExcept(taken: ReadonlySet<number>): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await freePort();
    if (!taken.has(port)) return port;
  }
  throw new Error(`no free port outside the ${taken.size} already chosen`);
}
