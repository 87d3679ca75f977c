import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, exactly as sent (percent-encoding kept). */
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

export interface ReceiverReply {
  status: number;
  body?: unknown;
  /** Waits this long before answering: a slow host. */
  delayMs?: number;
}

export type ReceiverHandler = (req: RecordedRequest) => ReceiverReply | Promise<ReceiverReply>;

export interface HttpReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that records each request and answers with `handler`: the stand-in for a remote API
 * (a git host) in tests, so that adapters are checked on the wire rather than through mocks.
 */
export async function startHttpReceiver(handler: ReceiverHandler): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(recorded);
      void Promise.resolve()
        .then(() => handler(recorded))
        .catch((err: unknown): ReceiverReply => ({ status: 500, body: { message: `receiver handler failed: ${String(err)}` } }))
        .then(async (reply) => {
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
