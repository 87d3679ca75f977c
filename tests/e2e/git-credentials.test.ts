import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, SlipwayEvent } from '@slipway/core';
import { startGitHttpServer } from './git-http-server.js';
import { cli, freePort, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { allFiles, initRepo, killProcessesUnder } from './project-repo.js';

/** A private https-style remote: the token is a secret, given to git only through its environment, and shown nowhere. */
describe('git credentials from secrets', () => {
  const dir = tempDir('git-credentials');
  const token = `tok-${Date.now().toString(36)}-s3cr3t`;
  const dataDir = join(dir.path, 'data');
  const work = join(dir.path, 'work');
  let remote: Awaited<ReturnType<typeof startGitHttpServer>>;
  let s: ServerProcess;
  const outputs: string[] = [];
  const run = async (args: string[]) => {
    const r = await cli([...args, '--server', s.url]);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    await initRepo(work, {
      'slipway.yaml': 'project: private\nservices:\n  app:\n    path: app\n    command: node -e "setInterval(() => {}, 1000)"\n',
      'app/README.md': 'app\n',
      '.slipway/workflows/ci.yml': 'on: push\njobs:\n  fail:\n    runs-on: host\n    steps:\n      - run: echo private && exit 1\n',
    });
    execFileSync('git', ['clone', '-q', '--bare', work, join(dir.path, 'srv', 'private.git')]);
    remote = await startGitHttpServer(join(dir.path, 'srv'), 'slipway-bot', token);
    s = await startSlipway(['server', '--data-dir', dataDir], { port: await freePort() });
  });

  afterAll(async () => {
    await s?.stop();
    await remote?.close();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('cannot add the repository without credentials, and says so without prompting', async () => {
    const added = await run(['projects', 'add', remote.url('private.git'), '--name', 'private', '--poll-interval', '3600']);
    expect(added.code).toBe(69);
    expect(added.stderr).toMatch(/SLW_SOURCE_UNREACHABLE/);
    expect(remote.seen.some((h) => h.startsWith('Basic '))).toBe(false);
  });

  it('uses GIT_USERNAME and GIT_TOKEN secrets for ls-remote and fetch, and a commit runs', async () => {
    expect((await run(['secrets', 'set', 'GIT_TOKEN', '--value', token])).code).toBe(0);
    expect((await run(['secrets', 'set', 'GIT_USERNAME', '--value', 'slipway-bot'])).code).toBe(0);
    const added = await run(['projects', 'add', remote.url('private.git'), '--name', 'private', '--poll-interval', '3600', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const run1 = await waitFor('a run of the first commit', async () => (await s.get<{ items: Run[] }>('/api/runs')).items.find((r) => ['succeeded', 'failed'].includes(r.status)), 30_000, 200);
    expect(run1.status).toBe('failed');
    expect(remote.seen).toContain(`Basic ${Buffer.from(`slipway-bot:${token}`).toString('base64')}`);
  });

  it('keeps the token out of events, logs, API responses, the server output and every file of the data dir', async () => {
    const events = await s.get<{ items: SlipwayEvent[] }>('/api/events?limit=1000');
    const runs = await s.get<{ items: Run[] }>('/api/runs');
    const logs = await Promise.all(runs.items.map((r) => fetch(`${s.url}/api/runs/${r.id}/logs`).then((x) => x.text())));
    const basic = Buffer.from(`slipway-bot:${token}`).toString('base64');
    for (const text of [JSON.stringify(events), JSON.stringify(runs), ...logs, outputs.join('\n'), s.output()]) {
      expect(text.includes(token) || text.includes(basic)).toBe(false);
    }
    await s.stop();
    const leaking = allFiles(dataDir).filter((f) => f.text.includes(token) || f.text.includes(basic)).map((f) => f.path);
    expect(leaking).toEqual([]);
  });
});
