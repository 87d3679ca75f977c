import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, noopWorkflow } from './project-repo.js';

type Json = Record<string, unknown>;
type Host = 'github' | 'gitlab' | 'gitea';

const secret = 'webhook-test-secret-3f9a';
const githubPush = (createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Json[] }[])
  .find((e) => e.name === 'push')!
  .examples.find((p) => p.ref === 'refs/heads/master')!;
const fixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'packages/server/src/webhooks/testdata', name), 'utf8')) as Json;

/** A real payload of each host, pointed at the test repository and the new commit; and the headers the host would send. */
function delivery(host: Host, repo: string, sha: string, options: { delivery?: string; badSignature?: boolean; before?: string; modified?: string[] } = {}) {
  const id = options.delivery ?? randomUUID();
  const key = options.badSignature ? 'not-the-secret' : secret;
  let payload: Json;
  if (host === 'github') {
    payload = structuredClone(githubPush);
    payload.repository = { ...(payload.repository as Json), clone_url: pathToFileURL(repo).href, ssh_url: 'git@github.com:elsewhere/other.git', html_url: 'https://github.com/elsewhere/other', git_url: 'git://github.com/elsewhere/other.git', svn_url: 'https://github.com/elsewhere/other' };
  } else if (host === 'gitlab') {
    payload = fixture('gitlab-push.json');
    payload.project = { ...(payload.project as Json), git_http_url: repo, git_ssh_url: 'git@example.com:elsewhere/other.git', web_url: 'http://example.com/elsewhere/other', url: 'git@example.com:elsewhere/other.git', ssh_url: 'git@example.com:elsewhere/other.git', http_url: 'http://example.com/elsewhere/other.git' };
    payload.repository = { ...(payload.repository as Json), git_http_url: repo, url: repo, homepage: 'http://example.com/elsewhere/other', git_ssh_url: 'git@example.com:elsewhere/other.git' };
  } else {
    payload = fixture('gitea-push.json');
    payload.repository = { ...(payload.repository as Json), clone_url: `${repo}.git`, ssh_url: 'ssh://gitea@localhost:2222/elsewhere/other.git', html_url: 'http://localhost:3000/elsewhere/other' };
  }
  payload.ref = 'refs/heads/main';
  payload.after = sha;
  if (options.before) {
    // What each host sends for a push of one commit on top of the last: the old head and the commit's files.
    payload.before = options.before;
    payload.created = false;
    const commit = ((payload.commits as Json[] | undefined) ?? [])[0] ?? {};
    payload.commits = [{ ...commit, id: sha, added: [], removed: [], modified: options.modified ?? [] }];
    if (host === 'gitlab') payload.total_commits_count = 1;
    if (host === 'gitea') payload.total_commits = 1;
  }
  const body = JSON.stringify(payload);
  const hmac = createHmac('sha256', key).update(body).digest('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (host === 'github') Object.assign(headers, { 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': `sha256=${hmac}` });
  if (host === 'gitlab') Object.assign(headers, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': id, 'x-gitlab-token': key });
  if (host === 'gitea') Object.assign(headers, { 'x-gitea-event': 'push', 'x-gitea-delivery': id, 'x-gitea-signature': hmac });
  return { id, body, headers, signature: host === 'gitlab' ? key : hmac };
}

/**
 * Webhooks from GitHub, GitLab and Gitea on a real server that requires API tokens (as beyond loopback): a signed push
 * queues a run within 200 ms without a token; a bad signature gets 401, triggers nothing and is recorded; a replayed
 * delivery id queues nothing more.
 */
describe('webhooks', () => {
  const dir = tempDir('webhooks');
  const repo = join(dir.path, 'repo');
  const dataDir = join(dir.path, 'data');
  let s: ServerProcess;
  let token = '';
  let projectId = '';
  const auth = () => ({ authorization: `Bearer ${token}` });
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${s.url}${path}`, { headers: auth() });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const runsOf = async (sha: string) => (await api<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
  const fetches = async () => Number(/^slipway_git_fetches_total\{result="ok"\} (\d+)/m.exec(await (await fetch(`${s.url}/metrics`, { headers: auth() })).text())?.[1] ?? 0);
  const events = async () => (await api<{ items: SlipwayEvent[] }>('/api/events?limit=1000')).items;
  let commits = 0;
  const commit = async () => {
    writeFileSync(join(repo, 'app/version.txt'), String(++commits));
    await git(repo, 'commit', '-qam', `change ${commits}`);
    return git(repo, 'rev-parse', 'HEAD');
  };
  /** Polls and waits until Slipway has processed the head of the repository; returns it. */
  const settle = async () => {
    const head = await git(repo, 'rev-parse', 'HEAD');
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST', headers: auth() });
    await waitFor('the head to be processed', async () => (await api<{ lastCommitSha: string | null }>(`/api/projects/${projectId}`)).lastCommitSha === head, 20_000, 50);
    return head;
  };
  const post = (host: Host, d: { body: string; headers: Record<string, string> }) => fetch(`${s.url}/api/webhooks/${host}`, { method: 'POST', headers: d.headers, body: d.body });

  beforeAll(async () => {
    await initRepo(repo, { 'slipway.yaml': 'project: hooks\nservices:\n  app:\n    path: app\n    command: node server.mjs\n', 'app/server.mjs': '', 'app/version.txt': '0', '.slipway/workflows/ci.yml': noopWorkflow });
    const created = await cli(['tokens', 'create', '--role', 'admin', '--name', 'root', '--data-dir', dataDir, '--json']);
    expect(created.code, created.stderr).toBe(0);
    token = (JSON.parse(created.stdout) as { token: string }).token;
    s = await startSlipway(['server', '--data-dir', dataDir, '--require-auth'], { port: await freePort() });
    const env = { SLIPWAY_TOKEN: token };
    projectId = (await addProject(s, repo, 'hooks', [], env)).id;
    const set = await cli(['secrets', 'set', 'WEBHOOK_SECRET', '--project', 'hooks', '--value', secret, '--server', s.url], { env });
    expect(set.code, set.stderr).toBe(0);
    const first = await git(repo, 'rev-parse', 'HEAD');
    await waitFor('the first commit to be processed', async () => (await runsOf(first)).length > 0, 20_000, 100);
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
  });

  describe.each(['github', 'gitlab', 'gitea'] as const)('%s', (host) => {
    it('queues a run for a signed push within 200 ms, with no API token', async () => {
      // The push continues the commit Slipway saw last, as pushes do: its runs are queued from the payload (ADR 014).
      const before = await settle();
      const sha = await commit();
      const d = delivery(host, repo, sha, { before, modified: ['app/version.txt'] });
      const start = performance.now();
      const res = await post(host, d);
      const body = (await res.json()) as { duplicate: boolean; projects: { outcome: string }[] };
      expect(res.status, JSON.stringify(body)).toBe(202);
      expect(body).toMatchObject({ duplicate: false, projects: [{ outcome: 'queued' }] });
      await waitFor(`a run of ${sha}`, async () => (await runsOf(sha)).length > 0, 5_000, 5);
      const ms = performance.now() - start;
      expect(ms).toBeLessThan(200);
    });

    it('answers 401 to a wrong signature, triggers nothing, and records why without the secret or signature', async () => {
      // The commit before (fetched in the background after its webhook) must not count as this delivery's fetch.
      await settle();
      const sha = await commit();
      const before = await fetches();
      const d = delivery(host, repo, sha, { badSignature: true });
      const res = await post(host, d);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SLW_WEBHOOK_UNVERIFIED');
      const rejected = await waitFor('the webhook.rejected event', async () => (await events()).find((e) => e.kind === 'webhook.rejected' && e.data.delivery === d.id), 5_000, 50);
      expect(rejected).toMatchObject({ projectId, data: { host, reason: 'signature-mismatch' } });
      await new Promise((r) => setTimeout(r, 500));
      expect(await runsOf(sha)).toEqual([]);
      expect(await fetches()).toBe(before);
      const all = JSON.stringify(await events());
      expect(all).not.toContain(secret);
      expect(all).not.toContain(d.signature);
      expect(s.output()).not.toContain(secret);
    });

    it('does nothing for a replayed delivery id: one run', async () => {
      const sha = await commit();
      const d = delivery(host, repo, sha);
      expect((await post(host, d)).status).toBe(202);
      const replay = await post(host, d);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toMatchObject({ delivery: d.id, duplicate: true, projects: [] });
      // A replay of the same id with a newer commit is still a replay.
      const next = await commit();
      expect((await post(host, delivery(host, repo, next, { delivery: d.id }))).status).toBe(200);
      await waitFor(`a run of ${sha}`, async () => (await runsOf(sha)).length > 0, 5_000, 20);
      await new Promise((r) => setTimeout(r, 500));
      expect(await runsOf(sha)).toHaveLength(1);
      expect(await runsOf(next)).toEqual([]);
    });
  });

  it('refuses a delivery when the project has no WEBHOOK_SECRET, and a repository no project follows', async () => {
    const del = await fetch(`${s.url}/api/secrets/WEBHOOK_SECRET?projectId=hooks`, { method: 'DELETE', headers: auth() });
    expect(del.status).toBe(200);
    try {
      const sha = await commit();
      const d = delivery('github', repo, sha);
      expect((await post('github', d)).status).toBe(401);
      const rejected = await waitFor('the event', async () => (await events()).find((e) => e.kind === 'webhook.rejected' && e.data.delivery === d.id), 5_000, 50);
      expect(rejected.data.reason).toBe('secret-not-set');
      const other = delivery('github', join(dir.path, 'nowhere'), sha);
      const res = await post('github', other);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SLW_NOT_FOUND');
    } finally {
      const set = await cli(['secrets', 'set', 'WEBHOOK_SECRET', '--project', 'hooks', '--value', secret, '--server', s.url], { env: { SLIPWAY_TOKEN: token } });
      expect(set.code, set.stderr).toBe(0);
    }
  });
});
