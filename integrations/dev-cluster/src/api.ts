import { request } from 'node:https';
import { readFileSync } from 'node:fs';

/** A client of the dev cluster's API server with the admin certificate: enough for its own readiness checks. */
export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function createApiClient(server: string, tls: { ca: string; cert: string; key: string }): ApiClient {
  const ca = readFileSync(tls.ca);
  const cert = readFileSync(tls.cert);
  const key = readFileSync(tls.key);
  return {
    call<T>(method: string, path: string, body?: unknown) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise<{ status: number; body: T }>((resolve, reject) => {
        const req = request(new URL(path, server), { method, ca, cert, key, timeout: 5_000, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // /readyz answers plain text.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
