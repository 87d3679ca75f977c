import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, Run, RunDetail, SecretSummary, SlipwayEvent } from '@slipway/core';
import { createSecretBox, createSecretResolver } from '@slipway/engine';
import { createStore } from '@slipway/store';
import { bin, cli, freePort, git, repoRoot, startSlipway, tempDir, waitFor, type CliResult, type ServerProcess } from './harness.js';
import { allFiles } from './project-repo.js';

/** `slipway …` with `input` on stdin (the harness's cli() gives the child no stdin). */
function cliWithStdin(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Secrets set through the real CLI and server: the value shows up nowhere but in the store, sealed. */
describe('secrets end to end', () => {
  const dir = tempDir('secrets');
  const dataDir = join(dir.path, 'data');
  const globalValue = `gl0bal s3cret/+=&${randomBytes(6).toString('hex')}`;
  const projectValue = `pr0ject-s3cret-${randomBytes(6).toString('hex')}`;
  const flagValue = `fl4g-s3cret-${randomBytes(6).toString('hex')}`;
  const forms = (v: string) => [v, Buffer.from(v).toString('base64'), encodeURIComponent(v)];
  const leaks = (text: string) => [globalValue, projectValue, flagValue].flatMap(forms).filter((f) => text.includes(f));
  let s: ServerProcess;
  const outputs: string[] = [];
  const run_ = async (args: string[], input?: string) => {
    const res = input === undefined ? await cli([...args, '--server', s.url]) : await cliWithStdin([...args, '--server', s.url], input);
    outputs.push(res.stdout, res.stderr);
    return res;
  };

  const repo = join(dir.path, 'repo');
  beforeAll(async () => {
    mkdirSync(repo);
    await git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), 'secrets test\n');
    await git(repo, 'add', 'README.md');
    await git(repo, 'commit', '-q', '-m', 'init');
    // Trace level: the log is as chatty as it gets, and still must not carry a value.
    s = await startSlipway(['server', '--data-dir', dataDir], { port: await freePort(), env: { SLIPWAY_LOG_LEVEL: 'trace' } });
    const added = await run_(['projects', 'add', repo, '--name', 'shop']);
    expect(added.code, added.stderr).toBe(0);
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
  });

  it('sets secrets from stdin and from a flag, without echoing them', async () => {
    const global = await run_(['secrets', 'set', 'npm_token'], `${globalValue}\n`);
    expect(global.code, global.stderr).toBe(0);
    expect(global.stdout).toContain('set NPM_TOKEN (global)');
    const project = await run_(['secrets', 'set', 'DEPLOY_KEY', '--project', 'shop', '--value-from-stdin', '--json'], projectValue);
    expect(project.code, project.stderr).toBe(0);
    expect(JSON.parse(project.stdout)).toMatchObject({ name: 'DEPLOY_KEY', projectId: expect.stringMatching(/^prj_/) });
    const flag = await run_(['secrets', 'set', 'FLAG_SECRET', '--value', flagValue]);
    expect(flag.code, flag.stderr).toBe(0);
  });

  it('lists names and scopes only', async () => {
    const list = await run_(['secrets', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as SecretSummary[];
    expect(items.map((i) => [i.name, i.projectId === null ? 'global' : 'project'])).toEqual([
      ['DEPLOY_KEY', 'project'],
      ['FLAG_SECRET', 'global'],
      ['NPM_TOKEN', 'global'],
    ]);
    const table = await run_(['secrets', 'list']);
    expect(table.stdout).toMatch(/DEPLOY_KEY\s+project shop/);
    expect(table.stdout).toMatch(/NPM_TOKEN\s+global/);
    const own = JSON.parse((await run_(['secrets', 'list', '--project', 'shop', '--json'])).stdout) as SecretSummary[];
    expect(own.map((i) => i.name)).toEqual(['DEPLOY_KEY']);
    const api = await (await fetch(`${s.url}/api/secrets`)).text();
    expect(api).toContain('NPM_TOKEN');
    expect(leaks(api)).toEqual([]);
  });

  it('refuses an invalid name and deletes by scope', async () => {
    const bad = await run_(['secrets', 'set', 'GITHUB_TOKEN'], globalValue);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('SLW_SECRET_NAME_INVALID');
    const wrongScope = await run_(['secrets', 'delete', 'DEPLOY_KEY']);
    expect(wrongScope.code).toBe(66);
    const deleted = await run_(['secrets', 'delete', 'flag_secret']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((JSON.parse((await run_(['secrets', 'list', '--json'])).stdout) as SecretSummary[]).map((i) => i.name)).toEqual(['DEPLOY_KEY', 'NPM_TOKEN']);
  });

  it('records set and delete in the event log, without values', async () => {
    const events = await s.events();
    expect(events.filter((e) => e.kind.startsWith('secret.')).map((e) => [e.kind, e.data.name])).toEqual([
      ['secret.set', 'NPM_TOKEN'],
      ['secret.set', 'DEPLOY_KEY'],
      ['secret.set', 'FLAG_SECRET'],
      ['secret.deleted', 'FLAG_SECRET'],
    ]);
    expect(leaks(JSON.stringify(events satisfies SlipwayEvent[]))).toEqual([]);
  });

  it('gives a run only the secrets it references, masked in every form, and fails a job that needs one it was not given, naming it', async () => {
    mkdirSync(join(repo, '.slipway/workflows'), { recursive: true });
    mkdirSync(join(repo, 'app'), { recursive: true });
    writeFileSync(join(repo, 'slipway.yaml'), 'project: shop\nservices:\n  app:\n    path: app\n    command: node -e "setInterval(() => {}, 1000)"\n');
    writeFileSync(join(repo, 'app/README.md'), 'app\n');
    writeFileSync(
      join(repo, '.slipway/workflows/deploy.yml'),
      [
        'on: push',
        'jobs:',
        '  deploy:',
        '    runs-on: host',
        '    outputs:',
        '      key: ${{ steps.k.outputs.key }}',
        '    steps:',
        '      - id: k',
        '        env:',
        '          KEY: ${{ secrets.DEPLOY_KEY }}',
        '          TOKEN: ${{ secrets.NPM_TOKEN }}',
        '        run: |',
        '          echo "key=$KEY"',
        '          echo "token=$TOKEN"',
        '          printf "%s" "$TOKEN" | base64 -w0; echo',
        '          node -e "console.log(encodeURIComponent(process.env.TOKEN))"',
        '          echo "key=$KEY" >> "$GITHUB_OUTPUT"',
        '          echo "::warning::deploying with $KEY"',
        '          test "${#TOKEN}" -gt 10',
        '  unset:',
        '    runs-on: host',
        '    steps:',
        '      - run: echo "${{ secrets.NEVER_SET }}"',
        '',
      ].join('\n'),
    );
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'deploy with secrets');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const [project] = (await s.get<{ items: { id: string }[] }>('/api/projects')).items;
    await fetch(`${s.url}/api/projects/${project!.id}/poll`, { method: 'POST' });
    const run = await waitFor('the run to finish', async () => {
      const [r] = (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
      return r && ['succeeded', 'failed'].includes(r.status) ? s.get<RunDetail>(`/api/runs/${r.id}`) : undefined;
    }, 30_000);
    expect(run.status).toBe('failed');
    expect(run.jobs.map((j) => [j.name, j.status])).toEqual([['deploy', 'succeeded'], ['unset', 'failed']]);
    expect(run.jobs[0]!.outputs).toEqual({ key: '***' });
    const logs = (await s.get<{ items: LogLine[] }>(`/api/runs/${run.id}/logs`)).items.map((l) => l.text);
    expect(logs).toEqual(expect.arrayContaining(['key=***', 'token=***', '***', 'warning: deploying with ***']));
    expect(logs.join('\n')).toMatch(/SLW_SECRET_MISSING .*NEVER_SET/);
    expect(run.error).toContain('unset');
    const cliLogs = await run_(['logs', run.id]);
    expect(cliLogs.stdout).toContain('token=***');
    // Each place a value could reach: the run, its logs (API and CLI), the events, the run list.
    const surfaces = [JSON.stringify(run), JSON.stringify(logs), JSON.stringify(await s.events()), await (await fetch(`${s.url}/api/runs`)).text()];
    for (const text of surfaces) expect(leaks(text)).toEqual([]);
  });

  it('leaves no value in the CLI output, the server log or any file of the data dir, and the runner can still read them', async () => {
    await s.stop();
    expect(leaks(outputs.join('\n'))).toEqual([]);
    expect(s.output()).toContain('server started');
    expect(leaks(s.output())).toEqual([]);
    const files = allFiles(dataDir);
    expect(files.map((f) => f.path)).toContain(join(dataDir, 'slipway.db'));
    expect(files.filter((f) => leaks(f.text).length > 0).map((f) => f.path)).toEqual([]);
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

    // The sealed values open with the key the server generated: exactly what went in, minus stdin's trailing newline.
    const store = await createStore({ dataDir });
    try {
      const [project] = await store.listProjects();
      const resolver = createSecretResolver(store, await createSecretBox({ dataDir, env: {} }));
      expect(await resolver.resolve(project!.id, ['NPM_TOKEN', 'deploy_key', 'FLAG_SECRET'])).toEqual({ NPM_TOKEN: globalValue, deploy_key: projectValue });
    } finally {
      await store.close();
    }
  });
});
