import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './harness.js';

const ci = `name: CI
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.v.outputs.version }}
    steps:
      - uses: actions/checkout@v4
      - name: List the checkout
        run: ls -A | sort
      - id: v
        run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "testing \${{ needs.build.outputs.version }} on \${{ github.event_name }}"
      - name: Unit tests
        run: |
          for i in $(seq 1 30); do echo "test line $i"; done
          exit 3
`;

const green = `name: Green
on: push
jobs:
  hello:
    steps:
      - run: echo "hello from \${{ github.ref_name }}"
`;

const deploy = `name: Deploy
on:
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [staging, prod]
        required: true
      dry-run:
        type: boolean
        default: true
jobs:
  deploy:
    steps:
      - run: echo "deploying to \${{ inputs.target }} dry=\${{ inputs.dry-run }} with token \${{ secrets.DEPLOY_TOKEN }}"
      - name: Check the token
        run: test "\${{ secrets.DEPLOY_TOKEN }}" = "s3cr3t value#1" && echo "token \${{ secrets.DEPLOY_TOKEN }} is right"
`;

describe('slipway run', () => {
  const dir = tempDir('run');
  const repo = join(dir.path, 'repo');
  const env = { XDG_CACHE_HOME: join(dir.path, 'cache'), SLIPWAY_DATA_DIR: join(dir.path, 'data'), CI: '1' };
  const run = (args: string[]) => cli(['run', ...args], { cwd: repo, env });

  beforeAll(() => {
    mkdirSync(join(repo, '.slipway', 'workflows'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    writeFileSync(join(repo, '.slipway', 'workflows', 'ci.yml'), ci);
    writeFileSync(join(repo, '.slipway', 'workflows', 'deploy.yml'), deploy);
    writeFileSync(join(repo, '.gitignore'), '.env\nignored.txt\n');
    writeFileSync(join(repo, 'tracked.txt'), 'tracked\n');
    git('add', '.');
    git('commit', '-qm', 'initial');
    writeFileSync(join(repo, 'untracked.txt'), 'new\n');
    writeFileSync(join(repo, 'ignored.txt'), 'ignored\n');
    writeFileSync(join(repo, '.env'), '# deploy secrets\nDEPLOY_TOKEN="s3cr3t value#1"\n');
  });
  afterAll(() => dir.remove());

  it('runs a passing workflow with progress lines and a summary', async () => {
    writeFileSync(join(dir.path, 'green.yml'), green);
    const res = await run([join(dir.path, 'green.yml')]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('[hello] ▶ Run echo "hello from ${{ github.ref_name }}"');
    expect(res.stdout).toContain('[hello]   hello from main');
    expect(res.stdout).toMatch(/\[hello\] ✓ job succeeded in \d/);
    expect(res.stdout).toMatch(/ {2}hello {2}✓ success {2}\S+/);
    expect(res.stdout).toMatch(/✓ 1 job succeeded in \S+\n$/);
  });

  it('on failure prints the failing step\'s last lines and a command that re-runs only that job', async () => {
    const res = await run(['--secret-file', '.env']);
    expect(res.code).toBe(1);
    // The checkout is the working tree: tracked and untracked files, not ignored ones.
    expect(res.stdout).toContain('[build]   tracked.txt');
    expect(res.stdout).toContain('[build]   untracked.txt');
    expect(res.stdout).not.toContain('ignored.txt');
    expect(res.stdout).toContain('[test]   testing 1.2.3 on push');
    expect(res.stdout).toContain('✗ test failed at step "Unit tests" (exit code 3)');
    const tail = res.stdout.split('\n').filter((l) => l.startsWith('  │ '));
    expect(tail).toHaveLength(20);
    expect(tail.at(-2)).toBe('  │ test line 30');
    expect(tail).not.toContain('  │ test line 10');
    const command = res.stdout.split('\n').find((l) => l.startsWith('  slipway run '))!.trim();
    expect(command).toBe('slipway run .slipway/workflows/ci.yml -j test --secret-file .env');

    const again = await cli(command.split(' ').slice(1), { cwd: repo, env });
    expect(again.code).toBe(1);
    expect(again.stdout).not.toContain('[build]');
    expect(again.stdout).toContain('[test] ✗ Unit tests');
    expect(again.stdout).toContain('✗ 1 of 1 job failed');
  });

  it('passes dispatch inputs and secrets, with the secret masked', async () => {
    const res = await run(['deploy', '--input', 'target=staging', '--secret-file', '.env']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('[deploy]   deploying to staging dry=true with token ***');
    expect(res.stdout).toContain('[deploy]   token *** is right');
    expect(res.stdout).not.toContain('s3cr3t');
  });

  it('checks inputs before running anything', async () => {
    const unknown = await run(['deploy', '--input', 'targte=staging']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unexpected input "targte" (did you mean "target"?)');
    expect(unknown.stderr).toContain('hint: .slipway/workflows/deploy.yml takes target (staging|prod, required), dry-run (boolean)');
    expect(unknown.stdout).toBe('');
    const missing = await run(['deploy', '--event', 'workflow_dispatch']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('input "target" is required');
  });

  it('fails a job that references a missing secret, naming it', async () => {
    const res = await run(['deploy', '--input', 'target=prod', '--json']);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout) as { workflows: { jobs: { key: string; failure: { step: string | null; tail: string[] } | null }[] }[] };
    expect(doc.workflows[0]!.jobs[0]!.failure!.tail.join('\n')).toMatch(/SLW_SECRET_MISSING the job needs secret DEPLOY_TOKEN/);
  });

  it('--json prints one document and nothing else on stdout', async () => {
    const res = await run(['ci', '-j', 'build', '--json']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { conclusion: string; workflows: { file: string; event: string; jobs: { key: string; conclusion: string; durationMs: number; outputs: Record<string, string>; steps: { name: string; outcome: string; durationMs: number }[] }[] }[] };
    expect(doc.conclusion).toBe('success');
    expect(doc.workflows).toHaveLength(1);
    expect(doc.workflows[0]).toMatchObject({ file: '.slipway/workflows/ci.yml', event: 'push' });
    const [build] = doc.workflows[0]!.jobs;
    expect(build).toMatchObject({ key: 'build', conclusion: 'success', outputs: { version: '1.2.3' } });
    expect(build!.steps.map((s) => [s.name, s.outcome])).toEqual([['Run actions/checkout@v4', 'success'], ['List the checkout', 'success'], ['Run echo "version=1.2.3" >> "$GITHUB_OUTPUT"', 'success']]);
  });

  it('gives file:line:col and exit code 2 for an invalid workflow', async () => {
    writeFileSync(join(repo, '.slipway', 'workflows', 'broken.yml'), 'on: push\njobs:\n  a:\n    needs: [nope]\n    steps:\n      - run: echo\n');
    try {
      const res = await run([]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/\.slipway\/workflows\/broken\.yml:4:\d+: SLW_WORKFLOW_INVALID jobs\.a\.needs: unknown job "nope"/);
      expect(res.stdout).toBe('');
      // A workflow named by its file still runs.
      expect((await run(['deploy', '--input', 'target=prod', '--secret-file', '.env'])).code).toBe(0);
    } finally {
      execFileSync('rm', [join(repo, '.slipway', 'workflows', 'broken.yml')]);
    }
  });

  it('keeps caches between runs of the repository, outside the work tree', async () => {
    const cached = 'on: workflow_dispatch\njobs:\n  c:\n    steps:\n      - id: cache\n        uses: actions/cache@v4\n        with: { path: out, key: out-v1 }\n      - run: echo "hit=${{ steps.cache.outputs.cache-hit }}"\n      - run: mkdir -p out && echo data > out/f\n      - uses: actions/upload-artifact@v4\n        with: { name: out, path: out }\n';
    writeFileSync(join(dir.path, 'cached.yml'), cached);
    const first = await run([join(dir.path, 'cached.yml')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('[c]   hit=false');
    const second = await run([join(dir.path, 'cached.yml')]);
    expect(second.stdout).toContain('[c]   hit=true');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('?? untracked.txt\n');
  });

  it('fails a job that needs Docker with a clear message when Docker does not answer', async () => {
    writeFileSync(join(dir.path, 'container.yml'), 'on: push\njobs:\n  boxed:\n    container: slipway/runner:latest\n    steps:\n      - run: echo inside\n  plain:\n    steps:\n      - run: echo on the host\n');
    const res = await cli(['run', join(dir.path, 'container.yml')], { cwd: repo, env: { ...env, DOCKER_HOST: `unix://${join(dir.path, 'no-docker.sock')}` } });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('[plain]   on the host');
    expect(res.stdout).toMatch(/✗ boxed failed before its first step\n {2}its log:\n {2}│ SLW_RUN_FAILED this job has a container: or services:, which run in Docker, but the Docker daemon at unix:\/\/.*no-docker\.sock does not answer \(ENOENT\); start Docker, or re-run with --executor host/);
  });

  it('says which workflows and jobs exist when none match', async () => {
    const res = await run(['-j', 'tset']);
    expect(res.code).toBe(66);
    expect(res.stderr).toContain('no job "tset" in .slipway/workflows/ci.yml (did you mean "test"?)');
    const event = await run(['--event', 'release']);
    expect(event.code).toBe(66);
    expect(event.stderr).toContain('no workflow runs on release');
  });
});
