import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '@slipway/core';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';

const intervalMs = 2000;

/**
 * Polling as the fallback for webhooks, against a local bare repository: a new commit is noticed within the interval
 * plus 1 s, and a poll that finds the head unchanged runs ls-remote only, never a fetch (counted on /metrics).
 */
describe('polling', () => {
  const dir = tempDir('polling');
  const bare = join(dir.path, 'origin.git');
  const work = join(dir.path, 'work');
  let s: ServerProcess;
  let projectId = '';
  const counter = async (name: string) => Number(new RegExp(`^${name}\\{result="ok"\\} (\\d+)`, 'm').exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0);
  const head = async () => (await s.get<Project>(`/api/projects/${projectId}`)).lastCommitSha;

  beforeAll(async () => {
    await git(dir.path, 'init', '-q', '--bare', '-b', 'main', bare);
    mkdirSync(work);
    await git(work, 'init', '-q', '-b', 'main');
    writeFileSync(join(work, 'slipway.yaml'), 'project: polled\nservices:\n  app:\n    path: app\n    command: "true"\n');
    mkdirSync(join(work, 'app'));
    writeFileSync(join(work, 'app/version.txt'), '0');
    await git(work, 'add', '-A');
    await git(work, 'commit', '-qm', 'init');
    await git(work, 'push', '-q', bare, 'main');
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    const added = await cli(['projects', 'add', bare, '--name', 'polled', '--poll-interval', String(intervalMs / 1000), '--json', '--server', s.url]);
    expect(added.code, added.stderr).toBe(0);
    projectId = (JSON.parse(added.stdout) as { id: string }).id;
    const first = await git(work, 'rev-parse', 'HEAD');
    await waitFor('the first commit', async () => (await head()) === first, 20_000, 50);
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
  });

  it('makes no fetch when a poll finds no change', async () => {
    const fetches = await counter('slipway_git_fetches_total');
    const polls = await counter('slipway_git_ls_remote_total');
    // Two full intervals (with their up to 10 % jitter): at least one poll, likely two.
    await new Promise((r) => setTimeout(r, 2 * intervalMs * 1.1 + 200));
    expect(await counter('slipway_git_ls_remote_total')).toBeGreaterThanOrEqual(polls + 1);
    expect(await counter('slipway_git_fetches_total')).toBe(fetches);
  });

  it('notices a new commit in the bare repository within the interval plus 1 s, with one fetch', async () => {
    const fetches = await counter('slipway_git_fetches_total');
    writeFileSync(join(work, 'app/version.txt'), '1');
    await git(work, 'commit', '-qam', 'change');
    const sha = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'push', '-q', bare, 'main');
    const pushed = performance.now();
    await waitFor('the new commit to be processed', async () => (await head()) === sha, intervalMs * 3, 20);
    const ms = performance.now() - pushed;
    expect(ms).toBeLessThanOrEqual(intervalMs + 1000);
    expect(await counter('slipway_git_fetches_total')).toBe(fetches + 1);
  });
});
