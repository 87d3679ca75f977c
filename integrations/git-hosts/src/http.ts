import { GitHostError } from '@slipway/core';

export interface HostRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  /** The auth header and any host-specific ones; their values never reach an error message. */
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The host name the errors talk about, e.g. "GitHub". */
export type HostName = 'GitHub' | 'GitLab' | 'Gitea';

/**
 * One JSON call to a host API with the built-in fetch and a timeout. Any failure becomes a GitHostError carrying the
 * HTTP status. Messages name the method, the URL without its query and the host's own message, never a header: the
 * token only travels in headers, so it cannot leak through an error.
 */
export async function requestJson<T>(host: HostName, req: HostRequest): Promise<T> {
  const where = `${req.method} ${stripQuery(req.url)}`;
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { accept: 'application/json', 'user-agent': 'slipway', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    const why = timeout.aborted ? `no answer within ${req.timeoutMs} ms` : req.signal?.aborted ? 'aborted' : (err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err));
    throw new GitHostError(`${host} API ${where}: ${why}`, null);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new GitHostError(`${host} API ${where} answered ${res.status}${hostMessage(text)}`, res.status, { hint: hintFor(res.status) });
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new GitHostError(`${host} API ${where} answered ${res.status} with a body that is not JSON`, res.status, { cause: err });
  }
}

function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

/** The host's own explanation (`message`, GitLab's `error`), shortened: it says which field or scope is wrong. */
function hostMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const msg = body.message ?? body.error;
    if (msg === undefined) return '';
    return `: ${(typeof msg === 'string' ? msg : JSON.stringify(msg)).slice(0, 300)}`;
  } catch {
    return '';
  }
}

function hintFor(status: number): string | undefined {
  if (status === 401) return 'The host rejected the token: set a valid one with `slipway secrets set GIT_HOST_TOKEN --project <project>`.';
  if (status === 403) return 'The token lacks a permission: it needs to write commit statuses and comments (GitHub: statuses and pull requests; GitLab: api scope; Gitea: write:repository).';
  if (status === 404) return 'The repository or pull request was not found, or the token cannot see it: check --host-repo and --host-api with `slipway projects set-host`.';
  return undefined;
}
