import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release, Run, SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

type Json = Record<string, unknown>;
const secret = 'payload-test-secret-77c1';
const githubPush = (createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Json[] }[]).find((e) => e.name === 'push')!.examples.find((p) => p.ref === 'refs/heads/master')!;

/**
 * A push webhook whose payload lists its files queues the runs from the payload alone (ADR 014); commit.process then
 * reads the commit from git, adds what the payload missed, and never queues a run twice.
 */
describe('runs queued from a push payload', () => {
  const dir = tempDir('webhook-payload');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;

  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
  };
  const commit = async (files: Record<string, string>) => {
    const before = await git(repo, 'rev-parse', 'HEAD');
    write(files);
    await git(repo, 'commit', '-qam', `change ${Object.keys(files).join(', ')}`);
    return { before, sha: await git(repo, 'rev-parse', 'HEAD') };
  };
  /** GitHub's push payload for the commit, listing `files` as modified. */
  const push = async (c: { before: string; sha: string }, files: string[]) => {
    const payload = { ...structuredClone(githubPush), ref: 'refs/heads/main', before: c.before, after: c.sha, created: false, commits: [{ id: c.sha, added: [], removed: [], modified: files }] } as Json;
    payload.repository = { ...(payload.repository as Json), clone_url: pathToFileURL(repo).href };
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
    const res = await fetch(`${s.url}/api/webhooks/github`, { method: 'POST', headers, body });
    expect(res.status).toBe(202);
    return ((await res.json()) as { projects: { detail: string }[] }).projects[0]!.detail;
  };
  const runsOf = async (sha: string) => (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
  const names = (runs: Run[]) => runs.map((r) => r.workflow.replace('.slipway/workflows/', '').replace('.yml', '')).sort();
  const events = async () => (await s.get<{ items: SlipwayEvent[] }>('/api/events?limit=1000')).items;
  const released = (sha: string) => waitFor(`the release of ${sha.slice(0, 7)}`, async () => (await s.get<{ items: Release[] }>('/api/releases?limit=1')).items.find((r) => r.commitSha === sha), 60_000, 100);
  const seen = (sha: string) => waitFor(`commit.seen of ${sha.slice(0, 7)}`, async () => (await events()).find((e) => e.kind === 'commit.seen' && e.data.sha === sha), 30_000, 50);

  beforeAll(async () => {
    write({
      'slipway.yaml': 'project: early\nservices:\n  api:\n    path: services/api\n    command: "true"\n  web:\n    path: services/web\n    command: "true"\nenvironments:\n  dev:\n    policy:\n      promotion: manual\n',
      'services/api/v.txt': '0',
      'services/web/v.txt': '0',
      ...Object.fromEntries(['api', 'web'].map((n) => [`.slipway/workflows/${n}.yml`, `name: ${n}\non:\n  push:\n    paths: ['services/${n}/**']\njobs:\n  test:\n    runs-on: host\n    steps:\n      - run: echo ${n}\n`])),
    });
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    await addProject(s, repo, 'early');
    expect((await cli(['secrets', 'set', 'WEBHOOK_SECRET', '--project', 'early', '--value', secret, '--server', s.url])).code).toBe(0);
    await released(await git(repo, 'rev-parse', 'HEAD'));
  });

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('queues the runs of the paths the payload lists, before git is read, and commit.process queues none twice', async () => {
    const c = await commit({ 'services/api/v.txt': '1' });
    expect(await push(c, ['services/api/v.txt'])).toBe(`push to main: commit ${c.sha.slice(0, 7)} queued, 1 run(s) queued from the payload`);
    const [run] = await runsOf(c.sha);
    const queued = (await events()).find((e) => e.kind === 'run.queued' && e.subject === `run:${run!.id}`);
    expect(queued?.message).toBe(`run #${run!.number} api queued: services/api/v.txt matches on.push.paths (from the webhook payload)`);
    const commitSeen = await seen(c.sha);
    expect(commitSeen.data.workflows).toEqual([
      { workflow: '.slipway/workflows/api.yml', triggered: true, reason: expect.stringContaining('services/api/v.txt'), runId: run!.id },
      { workflow: '.slipway/workflows/web.yml', triggered: false, reason: expect.any(String) },
    ]);
    expect((await released(c.sha)).changedServices).toEqual(['api']);
    expect(names(await runsOf(c.sha))).toEqual(['api']);
  });

  it('adds the runs a payload missed once the commit is read from git', async () => {
    const c = await commit({ 'services/api/v.txt': '2', 'services/web/v.txt': '2' });
    expect(await push(c, ['services/api/v.txt'])).toContain('1 run(s) queued from the payload');
    await seen(c.sha);
    expect(names(await runsOf(c.sha))).toEqual(['api', 'web']);
    expect((await released(c.sha)).changedServices.sort()).toEqual(['api', 'web']);
  });

  it('leaves the decision to git when the push changes a workflow or does not continue the last commit', async () => {
    const c = await commit({ '.slipway/workflows/web.yml': 'name: web\non: push\njobs:\n  test:\n    runs-on: host\n    steps:\n      - run: echo web v2\n' });
    expect(await push(c, ['.slipway/workflows/web.yml'])).toBe(`push to main: commit ${c.sha.slice(0, 7)} queued`);
    await seen(c.sha);
    expect(names(await runsOf(c.sha))).toEqual(['web']);
    const d = await commit({ 'services/api/v.txt': '3' });
    expect(await push({ before: c.before, sha: d.sha }, ['services/api/v.txt'])).toBe(`push to main: commit ${d.sha.slice(0, 7)} queued`);
    await seen(d.sha);
    expect(names(await runsOf(d.sha))).toEqual(['api', 'web']);
  });
});
