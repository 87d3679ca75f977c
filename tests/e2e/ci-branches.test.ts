import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release, Run } from '@slipway/core';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo, killProcessesUnder } from './project-repo.js';

/** A project follows its release branch and, for CI only, the branches that match its patterns. */
describe('CI branches', () => {
  const dir = tempDir('ci-branches');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess;
  let projectId = '';
  const poll = () => fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
  const runsOf = async (sha: string) => (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
  const pushTo = async (branch: string, file: string) => {
    await git(repo, 'checkout', '-q', '-B', branch, 'main');
    writeFileSync(join(repo, file), `${branch}\n`);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', `work on ${branch}`);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'checkout', '-q', 'main');
    return sha;
  };

  beforeAll(async () => {
    await initRepo(repo, {
      'slipway.yaml': 'project: branchy\nservices:\n  app:\n    path: app\n    command: node -e "setInterval(() => {}, 1000)"\n',
      'app/README.md': 'app\n',
      '.slipway/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: host\n    steps:\n      - run: echo "testing ${{ github.ref_name }}"\n',
    });
    await pushTo('feature/old', 'old.txt');
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    const project = await addProject(s, repo, 'branchy', ['--ci-branch', 'feature/*']);
    expect(project.ciBranches).toEqual(['feature/*']);
    projectId = project.id;
    const list = await cli(['projects', 'list', '--server', s.url]);
    expect(list.stdout).toMatch(/branchy\s+\S+\s+main\s+feature\/\*/);
    await waitFor('the main branch run', async () => (await s.get<{ items: Run[] }>('/api/runs')).items.find((r) => r.branch === 'main' && r.status === 'succeeded'), 30_000, 200);
  });

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('runs CI on a push to a followed branch, with that branch, and makes no release of it', async () => {
    const sha = await pushTo('feature/login', 'login.txt');
    await poll();
    const [run] = await waitFor('the feature branch run', async () => {
      const runs = await runsOf(sha);
      return runs.length > 0 && runs.every((r) => r.status === 'failed' || r.status === 'succeeded') ? runs : undefined;
    }, 30_000, 200);
    expect(run).toMatchObject({ branch: 'feature/login', trigger: 'push', commitSha: sha, status: 'succeeded' });
    const logs = await fetch(`${s.url}/api/runs/${run!.id}/logs`).then((r) => r.json() as Promise<{ items: { text: string }[] }>);
    expect(logs.items.map((l) => l.text)).toContain('testing feature/login');
    // The release flow has decided about main's commit, and never about this one.
    await waitFor('the release of main', async () => (await s.get<{ items: Release[] }>('/api/releases')).items[0], 30_000, 200);
    await new Promise((r) => setTimeout(r, 500));
    const releases = (await s.get<{ items: Release[] }>('/api/releases')).items;
    expect(releases.some((r) => r.commitSha === sha)).toBe(false);
    const events = await s.events();
    expect(events.some((e) => e.kind.startsWith('release.') && (e.data.sha === sha || e.data.commitSha === sha))).toBe(false);
  });

  it('does not run branches that existed before it followed them, nor branches that do not match', async () => {
    const other = await pushTo('experiment', 'x.txt');
    await poll();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runsOf(other)).toEqual([]);
    const old = await git(repo, 'rev-parse', 'feature/old');
    expect(await runsOf(old)).toEqual([]);
  });
});
