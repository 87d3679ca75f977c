import type { GitHostKind } from '@slipway/core';
import type { ReceiverHandler, ReceiverReply, RecordedRequest } from './http-receiver.js';

/** What an emulated host holds: the statuses posted to it and the comments of each pull request. */
export interface EmulatedHostState {
  statuses: { sha: string; state: string; context: string; targetUrl: string | null; description: string | null }[];
  comments: Map<number, { id: number; body: string }[]>;
}

export interface GitHostEmulator {
  /** The API base path the host serves under: '' (GitHub), /api/v4 (GitLab), /api/v1 (Gitea). */
  basePath: string;
  handler: ReceiverHandler;
  state: EmulatedHostState;
  /** From now on every request gets this status (e.g. 500), or, with null, the emulator answers normally again. */
  failWith(status: number | null): void;
  /** From now on every answer is delayed (a slow host); 0 turns it off. */
  delay(ms: number): void;
}

const validStates: Record<GitHostKind, string[]> = {
  github: ['error', 'failure', 'pending', 'success'],
  gitea: ['pending', 'success', 'error', 'failure', 'warning'],
  gitlab: ['pending', 'running', 'success', 'failed', 'canceled'],
};

/**
 * Answers like GitHub, GitLab or Gitea would for the few endpoints Slipway uses, for one repository and one token: 401
 * for another token, 404 for another repository or path, 422/400 for an invalid status, and GitLab's 400 when a status
 * is posted twice in the same state. The shapes of the answers follow each host's API reference.
 */
export function createGitHostEmulator(kind: GitHostKind, options: { token: string; repository: string }): GitHostEmulator {
  const state: EmulatedHostState = { statuses: [], comments: new Map() };
  const basePath = kind === 'github' ? '' : kind === 'gitlab' ? '/api/v4' : '/api/v1';
  let failure: number | null = null;
  let delayMs = 0;
  let nextId = 1000;

  const authorized = (req: RecordedRequest) => {
    if (kind === 'gitlab') return req.headers['private-token'] === options.token;
    return req.headers.authorization === (kind === 'github' ? `Bearer ${options.token}` : `token ${options.token}`);
  };
  const commentsOf = (pr: number) => {
    if (!state.comments.has(pr)) state.comments.set(pr, []);
    return state.comments.get(pr)!;
  };
  const page = <T>(items: T[], query: URLSearchParams, sizeParam: string) => {
    const size = Math.min(Number(query.get(sizeParam) ?? 30), 100);
    const n = Number(query.get('page') ?? 1);
    return items.slice((n - 1) * size, n * size);
  };

  function route(req: RecordedRequest): ReceiverReply {
    const url = new URL(req.url, 'http://host');
    if (!url.pathname.startsWith(basePath)) return { status: 404, body: { message: 'Not Found' } };
    const path = url.pathname.slice(basePath.length);
    if (!authorized(req)) return { status: 401, body: kind === 'gitlab' ? { message: '401 Unauthorized' } : { message: kind === 'github' ? 'Bad credentials' : 'token is required' } };
    const body = (req.body ?? {}) as Record<string, unknown>;

    if (kind === 'gitlab') {
      const project = encodeURIComponent(options.repository);
      let m = /^\/projects\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path);
      if (m && req.method === 'POST') {
        if (m[1] !== project) return { status: 404, body: { message: '404 Project Not Found' } };
        const name = typeof body.name === 'string' ? body.name : 'default';
        if (!validStates.gitlab.includes(String(body.state))) return { status: 400, body: { error: 'state does not have a valid value' } };
        const last = state.statuses.filter((s) => s.sha === m![2] && s.context === name).at(-1);
        if (last && last.state === body.state) return { status: 400, body: { message: `Cannot transition status via :${body.state === 'running' ? 'run' : String(body.state)} from :${last.state}` } };
        state.statuses.push({ sha: m[2]!, state: String(body.state), context: name, targetUrl: (body.target_url as string) ?? null, description: (body.description as string) ?? null });
        return { status: 201, body: { id: nextId++, sha: m[2], status: body.state, name, target_url: body.target_url ?? null, description: body.description ?? null } };
      }
      m = /^\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(path);
      if (m) {
        if (m[1] !== project) return { status: 404, body: { message: '404 Project Not Found' } };
        const notes = commentsOf(Number(m[2]));
        if (req.method === 'GET' && !m[3]) return { status: 200, body: page(url.searchParams.get('sort') === 'asc' ? notes : [...notes].reverse(), url.searchParams, 'per_page') };
        if (req.method === 'POST' && !m[3]) return createComment(notes, body);
        if (req.method === 'PUT' && m[3]) return updateComment(notes, Number(m[3]), body);
      }
      return { status: 404, body: { message: '404 Not Found' } };
    }

    let m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path);
    const repoMatches = (owner: string, repo: string) => `${decodeURIComponent(owner)}/${decodeURIComponent(repo)}` === options.repository;
    if (m && req.method === 'POST') {
      if (!repoMatches(m[1]!, m[2]!)) return { status: 404, body: { message: 'Not Found' } };
      if (!validStates[kind].includes(String(body.state))) return { status: 422, body: { message: 'Validation Failed' } };
      if (kind === 'github' && typeof body.description === 'string' && body.description.length > 140) return { status: 422, body: { message: 'description is too long (maximum is 140 characters)' } };
      const context = typeof body.context === 'string' ? body.context : 'default';
      state.statuses.push({ sha: m[3]!, state: String(body.state), context, targetUrl: (body.target_url as string) ?? null, description: (body.description as string) ?? null });
      return { status: 201, body: { id: nextId++, state: body.state, context, target_url: body.target_url ?? null, description: body.description ?? null } };
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (m) {
      if (!repoMatches(m[1]!, m[2]!)) return { status: 404, body: { message: 'Not Found' } };
      const comments = commentsOf(Number(m[3]));
      // GitHub pages with per_page/page; Gitea's issue comment list has no paging and returns every comment.
      if (req.method === 'GET') return { status: 200, body: kind === 'github' ? page(comments, url.searchParams, 'per_page') : comments };
      if (req.method === 'POST') return createComment(comments, body);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (m && req.method === 'PATCH') {
      if (!repoMatches(m[1]!, m[2]!)) return { status: 404, body: { message: 'Not Found' } };
      for (const comments of state.comments.values()) {
        if (comments.some((c) => c.id === Number(m![3]))) return updateComment(comments, Number(m[3]), body);
      }
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  function createComment(list: { id: number; body: string }[], body: Record<string, unknown>): ReceiverReply {
    if (typeof body.body !== 'string' || !body.body) return { status: kind === 'gitlab' ? 400 : 422, body: { message: 'body is missing' } };
    const comment = { id: nextId++, body: body.body };
    list.push(comment);
    return { status: 201, body: comment };
  }

  function updateComment(list: { id: number; body: string }[], id: number, body: Record<string, unknown>): ReceiverReply {
    const comment = list.find((c) => c.id === id);
    if (!comment) return { status: 404, body: { message: 'Not Found' } };
    if (typeof body.body !== 'string' || !body.body) return { status: kind === 'gitlab' ? 400 : 422, body: { message: 'body is missing' } };
    comment.body = body.body;
    return { status: 200, body: comment };
  }

  return {
    basePath,
    state,
    handler: (req) => {
      const reply = failure === null ? route(req) : { status: failure, body: { message: 'emulated failure' } };
      return delayMs ? { ...reply, delayMs } : reply;
    },
    failWith: (status) => void (failure = status),
    delay: (ms) => void (delayMs = ms),
  };
}
