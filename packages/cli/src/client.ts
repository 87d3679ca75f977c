import { SlipwayError, type ErrorCode, errorCatalog } from '@slipway/core';

export interface ClientOptions {
  server: string;
  token?: string;
}

/** A small typed client of the Slipway REST API; errors come back as the server's SlipwayError. */
export function createClient(options: ClientOptions) {
  const base = options.server.replace(/\/+$/, '');
  const headers = (extra: Record<string, string> = {}) => ({ ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...extra });
  const request = async (method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers: headers({ accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      throw new SlipwayError('SLW_SERVER_UNREACHABLE', `cannot reach the Slipway server at ${base}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`, { cause: err });
    }
    if (!res.ok) {
      const payload = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; hint?: string } } | undefined;
      const code = (payload?.error?.code && payload.error.code in errorCatalog ? payload.error.code : 'SLW_INTERNAL') as ErrorCode;
      throw new SlipwayError(code, payload?.error?.message ?? `${method} ${path} answered ${res.status}`, payload?.error?.hint ? { hint: payload.error.hint } : {});
    }
    return res;
  };
  return {
    base,
    get: async <T>(path: string): Promise<T> => (await request('GET', path)).json() as Promise<T>,
    post: async <T>(path: string, body: unknown = {}): Promise<T> => (await request('POST', path, body)).json() as Promise<T>,
    put: async <T>(path: string, body: unknown = {}): Promise<T> => (await request('PUT', path, body)).json() as Promise<T>,
    delete: async <T>(path: string): Promise<T> => (await request('DELETE', path)).json() as Promise<T>,
    /** Reads an SSE stream and calls onMessage for each message until it ends or the signal aborts. */
    async stream(path: string, onMessage: (event: string, data: string) => boolean | void, signal?: AbortSignal): Promise<void> {
      const res = await request('GET', path, undefined, 'text/event-stream');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      signal?.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length > 0 && onMessage(event, data.join('\n')) === false) {
            await reader.cancel().catch(() => {});
            return;
          }
        }
      }
    },
  };
}

export type Client = ReturnType<typeof createClient>;
