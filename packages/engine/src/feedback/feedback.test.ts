import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Project, RunDetail, SlipwayEvent, Store } from '@slipway/core';
import { createGitHosts } from '@slipway/integration-git-hosts';
import { createStore } from '@slipway/store';
import { createGitHostEmulator, startHttpReceiver, type GitHostEmulator, type HttpReceiver } from '@slipway/testkit';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import { silentLogger } from '../logger.js';
import { createSecretBox } from '../secrets/secret-box.js';
import { createSecretResolver } from '../secrets/secret-resolver.js';
import { createFeedback, type Feedback } from './feedback.js';

const token = 'ghp_feedbackTEST_abcdefghijklmnop';
const sha = 'b'.repeat(40);

/** The subscriber with a real store, bus, secret resolver and GitHub adapter, against a local receiver that answers like GitHub. */
describe('feedback to the git host', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-feedback-'));
  let store: Store;
  let bus: EventBus;
  let receiver: HttpReceiver;
  let emulator: GitHostEmulator;
  let feedback: Feedback;
  let project: Project;
  let run: RunDetail;
  let n = 0;

  beforeAll(async () => {
    store = await createStore({ dataDir });
    receiver = await startHttpReceiver((req) => emulator.handler(req));
    const box = await createSecretBox({ dataDir, env: {} });
    const resolver = createSecretResolver(store, box);
    bus = createEventBus(store);
    feedback = createFeedback({ store, bus, logger: silentLogger, secrets: (id, names) => resolver.resolve(id, names), serverUrl: () => 'http://slipway.test:7070/' }, { hosts: createGitHosts({ timeoutMs: 500 }), retry: { attempts: 3, baseDelayMs: 10 } });
    feedback.start();
    const withToken = await store.createProject({ name: 'shop', repoUrl: '/srv/shop', branch: 'main', pollIntervalMs: 1000 });
    await store.putSecret({ projectId: withToken.id, name: 'GIT_HOST_TOKEN', ciphertext: box.seal(token) });
    project = withToken;
  });
  afterAll(async () => {
    await feedback.stop();
    await receiver.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    emulator = createGitHostEmulator('github', { token, repository: 'acme/shop' });
    receiver.requests.length = 0;
    await store.setProjectGitHost(project.id, { kind: 'github', apiUrl: receiver.url, repository: 'acme/shop' });
    run = await store.createRun({ projectId: project.id, workflow: '.slipway/workflows/ci.yml', workflowName: `ci-${++n}`, commitSha: sha, branch: 'main', trigger: 'push', jobs: [] });
  });
  afterEach(() => emulator.failWith(null));

  const emitRun = (kind: 'run.queued' | 'run.started' | 'run.succeeded' | 'run.failed', data: Record<string, unknown> = {}) =>
    bus.emit({ kind, projectId: project.id, subject: `run:${run.id}`, message: kind, data: { commitSha: sha, ...data } });
  /** Nothing is expected to arrive: give the subscriber time to have sent it if it were going to. */
  const settle = () => new Promise((r) => setTimeout(r, 200));
  const waitFor = async <T>(probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 3000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const eventsOf = async (kind: string) => (await store.listEvents({ projectId: project.id, limit: 1000 })).filter((e) => e.kind === kind);

  it('posts pending, pending, success for a run, in order, as GitHub documents it', async () => {
    await emitRun('run.queued');
    await emitRun('run.started');
    await emitRun('run.succeeded', { durationMs: 1200 });
    await waitFor(() => emulator.state.statuses.length === 3);
    expect(emulator.state.statuses.map((s) => s.state)).toEqual(['pending', 'pending', 'success']);
    const last = receiver.requests.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.url).toBe(`/repos/acme/shop/statuses/${sha}`);
    expect(last.headers.authorization).toBe(`Bearer ${token}`);
    expect(last.body).toEqual({ state: 'success', context: `slipway/ci-${n}`, description: `Run #${run.number} succeeded in 1.2s`, target_url: `http://slipway.test:7070/#/runs/${run.id}` });
  });

  it('posts a deployment as slipway/deploy/<env>', async () => {
    await bus.emit({ kind: 'deployment.started', projectId: project.id, subject: 'environment:env_1', message: 'x', data: { commitSha: sha, environment: 'prod', version: 2 } });
    await bus.emit({ kind: 'deployment.failed', projectId: project.id, subject: 'environment:env_1', message: 'x', data: { commitSha: sha, environment: 'prod', version: 2, reason: 'unhealthy' } });
    await waitFor(() => emulator.state.statuses.length === 2);
    expect(emulator.state.statuses.map((s) => [s.context, s.state, s.description, s.targetUrl])).toEqual([
      ['slipway/deploy/prod', 'pending', 'Deploying v2 to prod', 'http://slipway.test:7070/#/'],
      ['slipway/deploy/prod', 'failure', 'v2 failed in prod: unhealthy', 'http://slipway.test:7070/#/'],
    ]);
  });

  it('posts nothing for a project without a git host, or without a token', async () => {
    await store.setProjectGitHost(project.id, null);
    await emitRun('run.queued');
    const other = await store.createProject({ name: `no-token-${n}`, repoUrl: '/srv/x', branch: 'main', pollIntervalMs: 1000 });
    await store.setProjectGitHost(other.id, { kind: 'github', apiUrl: receiver.url, repository: 'acme/shop' });
    await bus.emit({ kind: 'deployment.started', projectId: other.id, subject: 'environment:e', message: 'x', data: { commitSha: sha, environment: 'dev', version: 1 } });
    await settle();
    expect(receiver.requests).toEqual([]);
  });

  it('records a host that keeps failing as feedback.failed, with its status and without the token, and never slows the emitter', async () => {
    emulator.failWith(500);
    emulator.delay(200);
    const started = Date.now();
    await emitRun('run.failed');
    expect(Date.now() - started).toBeLessThan(100);
    const [failed] = await waitFor(async () => {
      const events = await eventsOf('feedback.failed');
      return events.length > 0 && events;
    });
    expect(receiver.requests).toHaveLength(3);
    expect(failed!.data).toMatchObject({ host: 'github', target: 'status', context: `slipway/ci-${n}`, state: 'failure', sha, httpStatus: 500, attempts: 3, code: 'SLW_GIT_HOST_FAILED' });
    expect(failed!.message).toMatch(/answered 500/);
    expect(JSON.stringify(await store.listEvents({ limit: 1000 }))).not.toContain(token);
  });

  it('gives up at once on a rejected token', async () => {
    await store.setProjectGitHost(project.id, { kind: 'github', apiUrl: receiver.url, repository: 'acme/other' });
    const before = (await eventsOf('feedback.failed')).length;
    await emitRun('run.started');
    await waitFor(async () => (await eventsOf('feedback.failed')).length > before && 1);
    const failed = (await eventsOf('feedback.failed')).at(-1) as SlipwayEvent;
    expect(failed.data).toMatchObject({ httpStatus: 404, attempts: 1 });
  });

  it('posts the plan preview as one comment per pull request, updated by the next plan', async () => {
    const plan = (markdown: string) => bus.emit({ kind: 'plan.created', projectId: project.id, subject: 'pull_request:12', message: 'plan', data: { pullRequest: 12, sha, markdown } });
    await plan('## Plan\n- api: rebuilt');
    await plan('## Plan\n- api, web: rebuilt');
    await waitFor(() => receiver.requests.filter((r) => r.method === 'PATCH').length === 1);
    expect(emulator.state.comments.get(12)).toEqual([{ id: expect.any(Number) as number, body: '<!-- slipway-plan -->\n## Plan\n- api, web: rebuilt' }]);
  });
});
