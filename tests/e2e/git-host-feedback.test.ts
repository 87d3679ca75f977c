import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, Run, RunDetail, SlipwayEvent } from '@slipway/core';
import { createGitHostEmulator, startHttpReceiver, type GitHostEmulator, type HttpReceiver } from '@slipway/testkit';
import { bin, cli, freePort, git, repoRoot, startSlipway, tempDir, waitFor, type CliResult, type ServerProcess } from './harness.js';
import { addProject, appConfig, httpApp, initRepo, killProcessesUnder } from './project-repo.js';

const token = 'ghp_e2eFeedbackToken_6f1d2c3b4a5968778695a4b3';
const webhookSecret = 'feedback-webhook-secret-77aa';
type Json = Record<string, unknown>;
const githubPullRequest = (createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Json[] }[])
  .find((e) => e.name === 'pull_request')!
  .examples.find((p) => p.action === 'opened')!;

/** `slipway …` with `input` on stdin, as a user pipes a secret in. */
function cliWithStdin(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

/**
 * Issue 4, feedback to the git host: a real `slipway server` posts commit statuses for each workflow run to a local HTTP
 * receiver that answers like GitHub's API. The URL, auth header and body are the documented ones, the token is nowhere
 * in events, logs or API answers, and a host answering 500 is a feedback.failed event while the run still succeeds.
 */
describe('commit statuses to the git host', () => {
  const dir = tempDir('git-host-feedback');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let receiver: HttpReceiver;
  const emulator: GitHostEmulator = createGitHostEmulator('github', { token, repository: 'acme/shop' });
  let projectId = '';
  const answers: string[] = [];

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${s.url}${path}`);
    const text = await res.text();
    answers.push(text);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  /** Commits a change, polls, and waits for the run of that commit to finish. */
  const commitAndRun = async (message: string): Promise<{ sha: string; run: Run }> => {
    // Under the service's path, so that the commit also makes a release that deploys.
    writeFileSync(join(repo, 'app/change.txt'), `${message}\n`);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', message);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const poll = await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
    expect(poll.status).toBe(202);
    const run = await waitFor(`the run of ${message} to finish`, async () => {
      const r = (await get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items[0];
      return r && ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    }, 60_000, 100);
    return { sha, run };
  };

  beforeAll(async () => {
    receiver = await startHttpReceiver((req) => emulator.handler(req));
    await initRepo(repo, { 'slipway.yaml': appConfig('shop'), 'app/server.mjs': httpApp, '.slipway/workflows/ci.yml': 'name: ci\non: push\njobs:\n  test:\n    runs-on: host\n    steps:\n      - run: echo testing\n' });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { SLIPWAY_LOG_LEVEL: 'info' } });
    const project = await addProject(s, repo, 'shop', ['--host', 'github', '--host-api', receiver.url, '--host-repo', 'acme/shop']);
    projectId = project.id;
    expect(project.gitHost).toEqual({ kind: 'github', apiUrl: receiver.url, repository: 'acme/shop' });
    const set = await cliWithStdin(['secrets', 'set', 'GIT_HOST_TOKEN', '--project', projectId, '--server', s.url], `${token}\n`);
    expect(set.code, set.stderr).toBe(0);
    // The first poll (when the project was added) ran the init commit, maybe before the token was set: start clean.
    await waitFor('the first run to finish', async () => (await get<{ items: Run[] }>(`/api/runs?projectId=${projectId}`)).items.every((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status)) || undefined, 60_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    receiver.requests.length = 0;
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
    await receiver?.close();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('posts pending then success for the workflow, at the documented URL, with the token and the documented body', async () => {
    const { sha, run } = await commitAndRun('feature one');
    expect(run.status).toBe('succeeded');
    const mine = () => receiver.requests.filter((r) => r.url === `/repos/acme/shop/statuses/${sha}`);
    const ci = () => mine().filter((r) => (r.body as { context: string }).context === 'slipway/ci');
    await waitFor('the success status', async () => ci().some((r) => (r.body as { state: string }).state === 'success') || undefined, 10_000, 50);
    const states = ci().map((r) => (r.body as { state: string }).state);
    expect(states[0]).toBe('pending');
    expect(states.at(-1)).toBe('success');
    expect(states.filter((x) => x !== 'pending' && x !== 'success')).toEqual([]);
    for (const req of mine()) {
      expect(req.method).toBe('POST');
      expect(req.headers.authorization).toBe(`Bearer ${token}`);
      expect(req.headers['x-github-api-version']).toBe('2022-11-28');
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(req.body as object).sort()).toEqual(['context', 'description', 'state', 'target_url']);
    }
    for (const req of ci()) expect(req.body).toMatchObject({ target_url: `${s.url}/#/runs/${run.id}` });
    expect((ci().at(-1)!.body as { description: string }).description).toMatch(new RegExp(`^Run #${run.number} succeeded in \\d+\\.\\ds$`));
    // The release of the commit deploys to the first environment: pending, then success, in its own context.
    await waitFor('the deploy status', async () => mine().some((r) => (r.body as { context: string; state: string }).context.startsWith('slipway/deploy/') && (r.body as { state: string }).state === 'success') || undefined, 30_000, 100);
    const deploy = mine().filter((r) => (r.body as { context: string }).context.startsWith('slipway/deploy/')).map((r) => r.body as { state: string; target_url: string });
    expect(deploy[0]).toMatchObject({ state: 'pending', target_url: `${s.url}/#/` });
  });

  it('records a host answering 500 as feedback.failed, and the run still succeeds', async () => {
    emulator.failWith(500);
    try {
      const { sha, run } = await commitAndRun('feature two');
      expect(run.status).toBe('succeeded');
      const failed = await waitFor('feedback.failed', async () => {
        const events = (await get<{ items: SlipwayEvent[] }>(`/api/events?projectId=${projectId}&limit=1000`)).items.filter((e) => e.kind === 'feedback.failed' && e.data.sha === sha);
        return events.length > 0 ? events : undefined;
      }, 30_000, 200);
      expect(failed[0]!.data).toMatchObject({ host: 'github', target: 'status', context: 'slipway/ci', httpStatus: 500, attempts: 3, code: 'SLW_GIT_HOST_FAILED' });
      expect(failed[0]!.subject).toBe(`run:${run.id}`);
      expect(receiver.requests.filter((r) => r.url === `/repos/acme/shop/statuses/${sha}`).length).toBeGreaterThanOrEqual(3);
    } finally {
      emulator.failWith(null);
    }
  });

  it('changes the settings with projects set-host, and shows them on the overview data', async () => {
    const res = await cli(['projects', 'set-host', 'shop', '--host', 'github', '--host-api', `${receiver.url}/`, '--host-repo', 'acme/shop', '--server', s.url]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`commit statuses go to github acme/shop (${receiver.url})`);
    const status = await get<{ projects: { project: { gitHost: unknown } }[] }>('/api/status');
    expect(status.projects[0]!.project.gitHost).toEqual({ kind: 'github', apiUrl: receiver.url, repository: 'acme/shop' });
    const bad = await cli(['projects', 'set-host', 'shop', '--host', 'gitea', '--server', s.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SLW_GIT_HOST_INVALID');
  });

  it('posts the plan of a pull request as one comment, and updates it when the pull request moves', async () => {
    const set = await cli(['secrets', 'set', 'WEBHOOK_SECRET', '--project', 'shop', '--value', webhookSecret, '--server', s.url]);
    expect(set.code, set.stderr).toBe(0);
    await git(repo, 'checkout', '-qb', 'feature');
    /** Commits on the feature branch and sends GitHub's signed pull_request webhook for it, as PR #7. */
    const push = async (n: number, action: 'opened' | 'synchronize') => {
      writeFileSync(join(repo, 'app/feature.txt'), `${n}\n`);
      await git(repo, 'add', '-A');
      await git(repo, 'commit', '-qm', `feature ${n}`);
      const sha = await git(repo, 'rev-parse', 'HEAD');
      const payload = structuredClone(githubPullRequest) as Json & { repository: Json; pull_request: Json & { head: Json; base: Json } };
      const repository = { ...payload.repository, id: 4242, clone_url: pathToFileURL(repo).href, ssh_url: 'git@github.com:elsewhere/other.git', git_url: 'git://github.com/elsewhere/other.git', html_url: 'https://github.com/elsewhere/other', svn_url: 'https://github.com/elsewhere/other' };
      payload.action = action;
      payload.number = 7;
      payload.repository = repository;
      payload.pull_request = { ...payload.pull_request, number: 7, head: { ...payload.pull_request.head, sha, ref: 'feature', repo: repository }, base: { ...payload.pull_request.base, ref: 'main', repo: repository } };
      const body = JSON.stringify(payload);
      const res = await fetch(`${s.url}/api/webhooks/github`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}` },
      });
      expect(res.status, await res.text()).toBeLessThan(300);
      return sha;
    };
    const comments = () => receiver.requests.filter((r) => /^\/repos\/acme\/shop\/issues\/(7\/comments|comments\/\d+)/.test(r.url) && r.method !== 'GET');
    try {
      await push(1, 'opened');
      await waitFor('the plan comment', async () => emulator.state.comments.get(7)?.length === 1 || undefined, 30_000, 100);
      const [created] = comments();
      expect(created).toMatchObject({ method: 'POST', url: '/repos/acme/shop/issues/7/comments' });
      expect(created!.headers.authorization).toBe(`Bearer ${token}`);
      expect((created!.body as { body: string }).body).toMatch(/^<!-- slipway-plan -->\n/);
      const second = await push(2, 'synchronize');
      await waitFor('the updated plan comment', async () => comments().some((r) => r.method === 'PATCH') || undefined, 30_000, 100);
      const comment = emulator.state.comments.get(7)!;
      expect(comment).toHaveLength(1);
      expect(comments().at(-1)).toMatchObject({ method: 'PATCH', url: `/repos/acme/shop/issues/comments/${comment[0]!.id}` });
      expect(comment[0]!.body).toContain(second.slice(0, 7));
    } finally {
      await git(repo, 'checkout', '-q', 'main');
    }
  });

  it('keeps the token out of every event, log line and API answer', async () => {
    const runs = (await get<{ items: Run[] }>(`/api/runs?projectId=${projectId}`)).items;
    for (const r of runs) {
      await get<RunDetail>(`/api/runs/${r.id}`);
      await get<{ items: LogLine[] }>(`/api/runs/${r.id}/logs`);
    }
    await get('/api/projects');
    await get(`/api/projects/${projectId}`);
    await get('/api/status');
    await get('/api/secrets');
    const events = await get<{ items: SlipwayEvent[] }>('/api/events?limit=1000');
    expect(events.items.some((e) => e.kind === 'feedback.failed')).toBe(true);
    for (const text of [...answers, s.output()]) expect(text).not.toContain(token);
    expect(s.output()).toMatch(/could not post the status slipway\/ci/);
  });
});
