import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { createTrafficRecorder, type TrafficRecorder } from './traffic.js';

/** A reverse proxy listening on the stable port of one service and forwarding to the instance that serves it. */
export interface ServiceProxy {
  /** The stable port the proxy listens on. */
  readonly port: number;
  /** Port of the (first) instance that receives new requests, or null when none does (requests then get a 502). */
  readonly upstream: number | null;
  /** Ports of every instance that receives new requests. */
  readonly upstreams: number[];
  /** Points new requests at another instance. Requests already in flight finish on the instance they started on. */
  setUpstream(port: number | null): void;
  /** Points new requests at several instances (replicas), taken in turn. */
  setUpstreams(ports: number[]): void;
  /** The version label of the instances in `upstreams` (the stable version), for the metrics. */
  setVersion(version: string): void;
  /**
   * Sends a share of new requests (`weight` percent, spread evenly) and every request that carries `header` to a second
   * version (a canary, or blue-green's preview); null sends everything to the stable upstreams again.
   */
  setCanary(canary: CanaryRoute | null): void;
  readonly canary: CanaryRoute | null;
  /** RED metrics per version since the proxy started (requests, 5xx, a latency histogram), and the recent samples. */
  readonly traffic: TrafficRecorder;
  /** Resolves once no request is in flight to `upstreamPort`, or after `timeoutMs`, whichever comes first. */
  drain(upstreamPort: number, timeoutMs: number): Promise<void>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export interface CanaryRoute {
  version: string;
  ports: number[];
  /** Percent of requests, 0–100. */
  weight: number;
  /** Requests with this header value always go to the canary (A/B by header). */
  header?: { name: string; value: string };
}

export interface ServiceProxyOptions {
  host: string;
  /** The port to listen on; 0 lets the kernel choose one. */
  port: number;
  /** Closes an upstream exchange that sends or receives nothing for this long. */
  upstreamIdleTimeoutMs?: number;
}

// Hop-by-hop headers describe one connection and must not be forwarded (RFC 9110 §7.6.1).
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authenticate', 'proxy-authorization']);

/** Starts a proxy on `options.port` (rejects with EADDRINUSE and the like when it cannot listen). */
export async function startServiceProxy(options: ServiceProxyOptions): Promise<ServiceProxy> {
  const idleTimeoutMs = options.upstreamIdleTimeoutMs ?? 120_000;
  // No keep-alive towards instances: a pooled socket that the instance closes while idle races with the next request
  // (ECONNRESET), and a fresh loopback connection is cheap. It also lets an old instance go as soon as it is drained.
  const agent = new Agent({ keepAlive: false });
  const inFlight = new Map<number, number>();
  const drainWaiters = new Map<number, Set<() => void>>();
  let upstreams: number[] = [];
  let turn = 0;
  let version = 'unknown';
  let canary: CanaryRoute | null = null;
  let canaryTurn = 0;
  let seq = 0;
  const traffic = createTrafficRecorder();

  /** The version and port a new request goes to: the header match, then the weight spread evenly (every 10th for 10%). */
  const route = (req: IncomingMessage): { version: string; port: number } | undefined => {
    const c = canary;
    if (c && c.ports.length > 0) {
      const byHeader = c.header !== undefined && req.headers[c.header.name.toLowerCase()] === c.header.value;
      const n = seq++;
      const byWeight = Math.floor(((n + 1) * c.weight) / 100) > Math.floor((n * c.weight) / 100);
      if (byHeader || byWeight || upstreams.length === 0) return { version: c.version, port: c.ports[canaryTurn++ % c.ports.length]! };
    }
    if (upstreams.length === 0) return undefined;
    return { version, port: upstreams[turn++ % upstreams.length]! };
  };

  const begin = (port: number) => inFlight.set(port, (inFlight.get(port) ?? 0) + 1);
  const end = (port: number) => {
    const left = (inFlight.get(port) ?? 1) - 1;
    if (left > 0) {
      inFlight.set(port, left);
      return;
    }
    inFlight.delete(port);
    for (const wake of drainWaiters.get(port) ?? []) wake();
    drainWaiters.delete(port);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chosen = route(req);
    if (!chosen) return replyText(res, 502, 'no instance of this service is running\n');
    const target = chosen.port;
    const started = performance.now();
    begin(target);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      end(target);
      traffic.record(chosen.version, res.headersSent ? res.statusCode : 502, performance.now() - started);
    };
    const headers = forwardable(req.headers);
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    const out = request({ host: options.host, port: target, method: req.method, path: req.url, headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.headers));
      pipeline(up, res, finish);
    });
    out.setTimeout(idleTimeoutMs, () => out.destroy(new Error(`upstream idle for ${idleTimeoutMs / 1000}s`)));
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (res.destroyed) return finish();
      if (!res.headersSent) replyText(res, 502, `upstream on port ${target} failed: ${err.code ?? err.message}\n`);
      else res.destroy();
      finish();
    });
    // A client that goes away mid-request must not leave the upstream exchange (and the drain count) hanging.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
      finish();
    });
    pipeline(req, out, () => {});
  };

  const server = createServer(handle);
  // Errors on a client socket (resets, parse errors) concern one connection only.
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    port,
    get upstream() {
      return upstreams[0] ?? null;
    },
    get upstreams() {
      return [...upstreams];
    },
    setUpstream(next) {
      upstreams = next === null ? [] : [next];
    },
    setUpstreams(next) {
      upstreams = [...next];
    },
    setVersion(next) {
      version = next;
    },
    setCanary(next) {
      canary = next && { ...next, ports: [...next.ports], weight: Math.max(0, Math.min(100, next.weight)) };
      // Counted from here: in the first N requests the canary gets floor(N × weight / 100), never more.
      seq = 0;
    },
    get canary() {
      return canary;
    },
    traffic,
    drain(upstreamPort, timeoutMs) {
      if (!inFlight.has(upstreamPort)) return Promise.resolve();
      return new Promise((resolve) => {
        const waiters = drainWaiters.get(upstreamPort) ?? new Set();
        drainWaiters.set(upstreamPort, waiters);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        waiters.add(done);
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
    },
  };
}

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name) && !listed.includes(name)) out[name] = value;
  }
  return out;
}

function replyText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
