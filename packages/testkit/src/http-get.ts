import { get as httpGet } from 'node:http';

/**
 * One GET on a connection of its own. A kept-alive connection would stay with whatever answered it first: on
 * Kubernetes a Service's cluster IP is balanced per connection by kube-proxy, so only new connections follow a
 * replacement, and one opened before kube-proxy programmed the Service stays with the off-machine address.
 */
export function getOnNewConnection(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
