import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { SlipwayError } from '@slipway/core';

/** The API server answered with an error status (404, 409, 410, 422, …). */
export class KubeApiError extends SlipwayError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('SLW_KUBERNETES_FAILED', message);
  }
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

/** A connection to one cluster as one user: a keep-alive agent with the kubeconfig's credentials. */
export interface KubeClient {
  readonly server: string;
  request<T = unknown>(method: string, path: string, options?: { body?: unknown; contentType?: string; accept404?: boolean; signal?: AbortSignal }): Promise<KubeResponse<T>>;
  /** Streams watch events (one JSON object per line) until the signal aborts or the server ends the watch. */
  watch(path: string, onEvent: (event: { type: string; object: unknown }) => void, signal: AbortSignal): Promise<void>;
  close(): void;
}

export interface KubeconfigSource {
  /** The kubeconfig's YAML; null: the server's own (KUBECONFIG, then ~/.kube/config, then in-cluster). */
  kubeconfig: string | null;
  context?: string;
}

/** Opens a client from a kubeconfig (client certificates, bearer tokens and exec plugins, through @kubernetes/client-node). */
export async function connect(source: KubeconfigSource): Promise<KubeClient> {
  const kc = new KubeConfig();
  try {
    if (source.kubeconfig) kc.loadFromString(source.kubeconfig);
    else kc.loadFromDefault();
    if (source.context) kc.setCurrentContext(source.context);
  } catch (err) {
    // A kubeconfig from a secret may hold credentials: its parser's message (which can quote it) is not repeated.
    const why = source.kubeconfig ? `${(err as Error).name}${source.context ? ` (or it has no context ${source.context})` : ''}` : (err as Error).message;
    throw new SlipwayError('SLW_KUBERNETES_FAILED', `the kubeconfig cannot be read: ${why}`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new SlipwayError('SLW_KUBERNETES_FAILED', `the kubeconfig has no cluster for context ${source.context ?? kc.getCurrentContext() ?? '(none)'}`);
  const tls: RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const server = cluster.server.replace(/\/$/, '');
  const secure = server.startsWith('https:');
  const agent = secure
    ? new Agent({ keepAlive: true, maxSockets: 64, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized !== false })
    : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const headers = { ...(tls.headers as Record<string, string> | undefined) };
  const send = secure ? httpsRequest : httpRequest;

  const open = (method: string, path: string, body: string | undefined, contentType: string | undefined, signal: AbortSignal | undefined) =>
    new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      // Content-Length always: Node frames no body of a DELETE by itself, and the server would read it as the next request.
      const req = send(`${server}${path}`, { method, agent, headers: { ...headers, accept: 'application/json', ...(body !== undefined ? { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {}) }, ...(signal ? { signal } : {}) }, resolve);
      req.on('error', reject);
      req.end(body);
    });

  return {
    server,
    async request(method, path, options = {}) {
      const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      let res;
      try {
        res = await open(method, path, body, options.contentType, options.signal);
      } catch (err) {
        throw new SlipwayError('SLW_KUBERNETES_FAILED', `${method} ${server}${path}: ${(err as Error).message}`, { cause: err });
      }
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const parsed = text ? safeJson(text) : null;
      const status = res.statusCode ?? 0;
      if (status >= 400 && !(status === 404 && options.accept404)) {
        const reason = (parsed as { message?: string; reason?: string } | null)?.message ?? text.slice(0, 300);
        throw new KubeApiError(status, `${method} ${path}: ${status} ${reason}`);
      }
      return { status, body: parsed as never };
    },
    async watch(path, onEvent, signal) {
      const res = await open('GET', path, undefined, undefined, signal);
      if ((res.statusCode ?? 0) >= 400) {
        res.resume();
        throw new KubeApiError(res.statusCode ?? 0, `watch ${path}: ${res.statusCode}`);
      }
      let buffered = '';
      try {
        for await (const chunk of res) {
          buffered += (chunk as Buffer).toString('utf8');
          let newline;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line) onEvent(JSON.parse(line) as { type: string; object: unknown });
          }
        }
      } catch (err) {
        if (!signal.aborted) throw err;
      }
    },
    close() {
      agent.destroy();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
