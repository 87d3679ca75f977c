import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHostError, type CommitState, type CommitStatus, type GitHost, type GitHostKind, type GitHostTarget } from '@slipway/core';
import { createGitHostEmulator, type GitHostEmulator } from './git-host-emulator.js';
import { startHttpReceiver, type HttpReceiver, type RecordedRequest } from './http-receiver.js';

/** A request as the host's API reference describes it; paths are relative to the API base URL. */
export interface DocumentedRequest {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

/** What an adapter's test hands to {@link runGitHostConformance}: the adapter, and the host's API as its reference documents it. */
export interface GitHostConformanceSetup {
  kind: GitHostKind;
  newHost(options?: { timeoutMs?: number }): GitHost;
  /** The repository the suite writes to, in the form the host takes (owner/repo, or a GitLab project path). */
  repository: string;
  documented: {
    /** The auth header, lower-case name and value. */
    auth(token: string): [string, string];
    status(repository: string, status: CommitStatus): DocumentedRequest;
    createComment(repository: string, pullRequest: number, body: string): DocumentedRequest;
    updateComment(repository: string, pullRequest: number, id: number, body: string): DocumentedRequest;
  };
}

const token = 'ghp_conformanceSECRET_0123456789';
const sha = 'a'.repeat(40);
const states: CommitState[] = ['pending', 'success', 'failure', 'error'];

/**
 * The GitHost port's conformance suite: each adapter against a local HTTP receiver that answers like its host. Checks
 * that each call is the documented one (method, URL, auth header, JSON body), that a marked comment is updated rather
 * than duplicated, and that failures are GitHostErrors with the HTTP status and without the token.
 */
export function runGitHostConformance(name: string, setup: GitHostConformanceSetup): void {
  describe(`GitHost conformance: ${name}`, () => {
    let receiver: HttpReceiver;
    let emulator: GitHostEmulator;
    let target: GitHostTarget;
    const host = setup.newHost({ timeoutMs: 2000 });
    const doc = setup.documented;

    beforeAll(async () => {
      receiver = await startHttpReceiver((req) => emulator.handler(req));
    });
    afterAll(() => receiver?.close());
    beforeEach(() => {
      emulator = createGitHostEmulator(setup.kind, { token, repository: setup.repository });
      receiver.requests.length = 0;
      target = { apiUrl: `${receiver.url}${emulator.basePath}`, repository: setup.repository, token };
    });

    const expectDocumented = (req: RecordedRequest | undefined, expected: DocumentedRequest) => {
      expect(req, 'no request reached the host').toBeDefined();
      expect(req!.method).toBe(expected.method);
      expect(req!.url.split('?')[0]).toBe(`${emulator.basePath}${expected.path}`);
      const [header, value] = doc.auth(token);
      expect(req!.headers[header]).toBe(value);
      if (expected.body) {
        expect(req!.headers['content-type']).toMatch(/^application\/json/);
        expect(req!.body).toEqual(expected.body);
      }
    };

    it.each(states)('posts a %s status as documented', async (state) => {
      const status: CommitStatus = { sha, state, context: 'slipway/ci', description: `ci ${state}`, targetUrl: 'http://127.0.0.1:7070/#/runs/run_1' };
      await host.postStatus(target, status);
      expect(receiver.requests).toHaveLength(1);
      expectDocumented(receiver.requests[0], doc.status(setup.repository, status));
      expect(emulator.state.statuses).toHaveLength(1);
    });

    it('posts pending then success for one context, in order, and the host keeps both', async () => {
      await host.postStatus(target, { sha, state: 'pending', context: 'slipway/deploy/prod', description: 'deploying', targetUrl: 'http://x/#/' });
      await host.postStatus(target, { sha, state: 'success', context: 'slipway/deploy/prod', description: 'deployed', targetUrl: 'http://x/#/' });
      expect(emulator.state.statuses.map((s) => s.context)).toEqual(['slipway/deploy/prod', 'slipway/deploy/prod']);
      expect(receiver.requests.map((r) => r.body)).toEqual([doc.status(setup.repository, { sha, state: 'pending', context: 'slipway/deploy/prod', description: 'deploying', targetUrl: 'http://x/#/' }).body, doc.status(setup.repository, { sha, state: 'success', context: 'slipway/deploy/prod', description: 'deployed', targetUrl: 'http://x/#/' }).body]);
    });

    it('accepts the same state twice (a queued and then started run)', async () => {
      const status: CommitStatus = { sha, state: 'pending', context: 'slipway/ci', description: 'queued', targetUrl: 'http://x/' };
      await host.postStatus(target, status);
      await expect(host.postStatus(target, { ...status, description: 'running' })).resolves.toBeUndefined();
    });

    it('shortens a long description to one line the host accepts', async () => {
      await host.postStatus(target, { sha, state: 'failure', context: 'slipway/ci', description: `failed:\n${'x'.repeat(300)}`, targetUrl: 'http://x/' });
      const description = emulator.state.statuses[0]!.description!;
      expect(description.length).toBeLessThanOrEqual(140);
      expect(description).not.toContain('\n');
    });

    it('works with a trailing slash on the API URL', async () => {
      await host.postStatus({ ...target, apiUrl: `${target.apiUrl}/` }, { sha, state: 'success', context: 'c', description: 'd', targetUrl: 'http://x/' });
      expect(receiver.requests[0]!.url).not.toContain('//');
    });

    it('creates a marked comment, then updates it instead of adding another', async () => {
      const first = await host.postComment(target, { pullRequest: 7, body: '## Plan\none', marker: 'slipway-plan' });
      expect(first.created).toBe(true);
      const create = receiver.requests.find((r) => r.method === 'POST')!;
      expectDocumented(create, doc.createComment(setup.repository, 7, '<!-- slipway-plan -->\n## Plan\none'));
      receiver.requests.length = 0;
      const second = await host.postComment(target, { pullRequest: 7, body: '## Plan\ntwo', marker: 'slipway-plan' });
      expect(second).toEqual({ id: first.id, created: false });
      const update = receiver.requests.find((r) => r.method !== 'GET')!;
      expectDocumented(update, doc.updateComment(setup.repository, 7, Number(first.id), '<!-- slipway-plan -->\n## Plan\ntwo'));
      expect(emulator.state.comments.get(7)).toEqual([{ id: Number(first.id), body: '<!-- slipway-plan -->\n## Plan\ntwo' }]);
    });

    it('leaves other comments alone, finds its own past a full page, and keeps markers apart', async () => {
      const others = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: i === 3 ? '<!-- other-bot -->\nnot ours' : `comment ${i}` }));
      emulator.state.comments.set(9, others.map((c) => ({ ...c })));
      await host.postComment(target, { pullRequest: 9, body: 'plan v1', marker: 'slipway-plan' });
      await host.postComment(target, { pullRequest: 9, body: 'plan v2', marker: 'slipway-plan' });
      await host.postComment(target, { pullRequest: 9, body: 'other', marker: 'slipway-summary' });
      const comments = emulator.state.comments.get(9)!;
      expect(comments).toHaveLength(152);
      expect(comments.slice(0, 150)).toEqual(others);
      expect(comments.filter((c) => c.body.includes('<!-- slipway-plan -->')).map((c) => c.body)).toEqual(['<!-- slipway-plan -->\nplan v2']);
    });

    const expectHostError = async (promise: Promise<unknown>, status: number | null) => {
      const err = await promise.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(GitHostError);
      expect(err).toMatchObject({ code: 'SLW_GIT_HOST_FAILED', status });
      const text = `${(err as Error).message} ${(err as GitHostError).hint} ${JSON.stringify(err)}`;
      expect(text).not.toContain(token);
      return err as GitHostError;
    };

    it('fails with the status and without the token when the host rejects the token', async () => {
      const err = await expectHostError(host.postStatus({ ...target, token: `${token}-wrong` }, { sha, state: 'success', context: 'c', description: 'd', targetUrl: 'http://x/' }), 401);
      expect(err.transient).toBe(false);
      expect(err.message).not.toContain(`${token}-wrong`);
    });

    it('fails with 404 for another repository', async () => {
      const other = setup.kind === 'gitlab' ? 'group/other' : 'acme/other';
      await expectHostError(host.postStatus({ ...target, repository: other }, { sha, state: 'success', context: 'c', description: 'd', targetUrl: 'http://x/' }), 404);
    });

    it('fails as transient on a server error, for statuses and comments', async () => {
      emulator.failWith(500);
      expect((await expectHostError(host.postStatus(target, { sha, state: 'pending', context: 'c', description: 'd', targetUrl: 'http://x/' }), 500)).transient).toBe(true);
      await expectHostError(host.postComment(target, { pullRequest: 1, body: 'b', marker: 'slipway-plan' }), 500);
    });

    it('gives up after its timeout when the host does not answer', async () => {
      emulator.delay(3000);
      const quick = setup.newHost({ timeoutMs: 200 });
      const started = Date.now();
      const err = await expectHostError(quick.postStatus(target, { sha, state: 'pending', context: 'c', description: 'd', targetUrl: 'http://x/' }), null);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err.transient).toBe(true);
    });

    it('fails without a status when nothing listens', async () => {
      const closed = await startHttpReceiver(() => ({ status: 200 }));
      const url = closed.url;
      await closed.close();
      await expectHostError(host.postStatus({ ...target, apiUrl: url }, { sha, state: 'pending', context: 'c', description: 'd', targetUrl: 'http://x/' }), null);
    });
  });
}
