import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, Run, RunDetail, SlipwayEvent } from '@slipway/core';
import { cli, freePort, git, processesMatching, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, appConfig, commitWorkflow as commitWorkflowTo, httpApp, initRepo, killProcessesUnder, noopWorkflow, runFinished } from './project-repo.js';

/**
 * CI on the server, through the real CLI and API: the runner's DAG, matrix rows, outputs and step timings in the store;
 * cancel, re-run all and re-run failed jobs; concurrency groups with cancel-in-progress.
 */
describe('CI runs on the server', () => {
  const dir = tempDir('ci-server');
  const repo = join(dir.path, 'repo');
  const dataDir = join(dir.path, 'data');
  let s: ServerProcess;
  let projectId = '';

  const post = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const commitWorkflow = (yaml: string, message: string) => commitWorkflowTo(s, projectId, repo, yaml, message);
  const finished = (id: string, timeoutMs?: number) => runFinished(s, id, timeoutMs);
  const logsOf = async (id: string) => (await s.get<{ items: LogLine[] }>(`/api/runs/${id}/logs`)).items;
  const job = (r: RunDetail, name: string) => r.jobs.find((j) => j.name === name)!;

  beforeAll(async () => {
    await initRepo(repo, { 'slipway.yaml': appConfig('ci'), 'app/server.mjs': httpApp, '.slipway/workflows/ci.yml': noopWorkflow });
    s = await startSlipway(['server', '--data-dir', dataDir], { port: await freePort() });
    projectId = (await addProject(s, repo, 'ci')).id;
  });

  afterAll(async () => {
    await s?.stop();
    killProcessesUnder(dir.path);
    dir.remove();
  });

  it('runs a DAG with a matrix: one row per combination, outputs through needs, step timings and colours kept', async () => {
    const id = await commitWorkflow(
      `name: graph
on: push
jobs:
  build:
    runs-on: host
    outputs:
      version: \${{ steps.v.outputs.version }}
    steps:
      - id: v
        run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: host
    strategy:
      matrix:
        shard: [a, b]
    steps:
      - name: shard
        run: echo "shard \${{ matrix.shard }} of \${{ needs.build.outputs.version }}"
  report:
    needs: test
    runs-on: host
    steps:
      - run: printf '\\033[32mgreen\\033[0m\\n'
`,
      'graph',
    );
    const run = await finished(id);
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.jobs.map((j) => [j.name, j.status])).toEqual([
      ['build', 'succeeded'],
      ['test (a)', 'succeeded'],
      ['report', 'succeeded'],
      ['test (b)', 'succeeded'],
    ]);
    expect(job(run, 'build').outputs).toEqual({ version: '1.2.3' });
    expect(job(run, 'test (b)').needs).toEqual(['build']);
    for (const step of run.jobs.flatMap((j) => j.steps)) {
      expect(step.status).toBe('succeeded');
      expect(Date.parse(step.queuedAt!)).toBeLessThanOrEqual(Date.parse(step.startedAt!));
      expect(Date.parse(step.startedAt!)).toBeLessThanOrEqual(Date.parse(step.finishedAt!));
    }
    const logs = await logsOf(id);
    expect(logs.map((l) => l.text)).toEqual(expect.arrayContaining(['shard a of 1.2.3', 'shard b of 1.2.3', '\u001b[32mgreen\u001b[0m']));
    expect(logs.find((l) => l.text === 'shard b of 1.2.3')?.stepId).toBe(job(run, 'test (b)').steps[0]!.id);

    const show = await cli(['runs', 'show', id, '--server', s.url]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/succeeded test \(a\) ← build/);
    const shown = JSON.parse((await cli(['runs', 'show', id, '--json', '--server', s.url])).stdout) as RunDetail;
    expect(shown.jobs).toHaveLength(4);
  });

  it('re-runs only the failed jobs, which see the outputs of the jobs kept from the first attempt; re-run all runs everything', async () => {
    const marker = join(dir.path, 'flaky-passes');
    const id = await commitWorkflow(
      `name: flaky
on: push
jobs:
  build:
    runs-on: host
    outputs:
      stamp: \${{ steps.s.outputs.stamp }}
    steps:
      - id: s
        run: echo "stamp=$(date +%s%N)" >> "$GITHUB_OUTPUT"
  flaky:
    needs: build
    runs-on: host
    steps:
      - run: test -f ${marker} && echo "stamp \${{ needs.build.outputs.stamp }}"
`,
      'flaky',
    );
    const first = await finished(id);
    expect(first.status).toBe('failed');
    expect(first.error).toContain('flaky');
    const stamp = job(first, 'build').outputs.stamp!;
    expect(stamp).toMatch(/^\d+$/);

    writeFileSync(marker, '');
    const rerun = await cli(['runs', 'rerun', id, '--failed', '--server', s.url]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('as attempt 2 (failed jobs)');
    const second = await finished(id);
    expect(second).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(job(second, 'build').startedAt).toBe(job(first, 'build').startedAt);
    expect((await logsOf(id)).map((l) => l.text)).toContain(`stamp ${stamp}`);

    const again = await cli(['runs', 'rerun', id, '--json', '--server', s.url]);
    expect(JSON.parse(again.stdout)).toMatchObject({ attempt: 3, status: 'queued' });
    const third = await finished(id);
    expect(third.status).toBe('succeeded');
    expect(job(third, 'build').startedAt).not.toBe(job(first, 'build').startedAt);
    expect(job(third, 'build').outputs.stamp).not.toBe(stamp);

    const busy = await cli(['runs', 'rerun', id, '--failed', '--server', s.url]);
    expect(busy.code).toBe(75);
    expect(busy.stderr).toContain('has no failed job');
    const events = await s.events();
    expect(events.filter((e) => e.kind === 'run.rerun' && e.subject === `run:${id}`).map((e) => e.data.failedOnly)).toEqual([true, false]);
  });

  it('cancels a running run: its process stops, the run and job finish as cancelled, and an event says who', async () => {
    const id = await commitWorkflow('name: slow\non: push\njobs:\n  wait:\n    runs-on: host\n    steps:\n      - run: sleep 3607\n', 'slow');
    await waitFor('the sleep to start', async () => processesMatching('sleep 3607') !== '', 20_000, 100);
    const cancel = await cli(['runs', 'cancel', id, '--server', s.url]);
    expect(cancel.code, cancel.stderr).toBe(0);
    const run = await finished(id, 10_000);
    expect(run).toMatchObject({ status: 'cancelled', error: 'cancelled by a user' });
    expect(job(run, 'wait').status).toBe('cancelled');
    expect(processesMatching('sleep 3607')).toBe('');
    const again = await cli(['runs', 'cancel', id, '--server', s.url]);
    expect(again.code).toBe(75);
    const events = await s.events();
    expect(events.find((e: SlipwayEvent) => e.kind === 'run.cancelled' && e.subject === `run:${id}`)?.message).toContain('cancelled by a user');
  });

  it('starts a workflow by hand with typed inputs, and refuses bad inputs and workflows without workflow_dispatch', async () => {
    const wf = `name: release
on:
  push:
    branches: [nope]
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [staging, prod]
        required: true
      dry:
        type: boolean
        default: true
jobs:
  go:
    runs-on: host
    steps:
      - run: echo "target=\${{ inputs.target }} dry=\${{ inputs.dry }} event=\${{ github.event_name }} typed=\${{ inputs.dry == false }}"
`;
    const wfDir = join(repo, '.slipway/workflows');
    for (const f of readdirSync(wfDir)) rmSync(join(wfDir, f));
    writeFileSync(join(wfDir, 'release.yml'), wf);
    writeFileSync(join(wfDir, 'plain.yml'), 'on:\n  push:\n    branches: [nope]\njobs:\n  x:\n    runs-on: host\n    steps:\n      - run: "true"\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'release workflow');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await post(`/api/projects/${projectId}/poll`);
    await waitFor('the commit to be processed', async () => (await s.events()).some((e) => e.kind === 'commit.seen' && e.data.sha === sha), 20_000, 100);
    expect((await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items).toEqual([]);

    const listed = await cli(['workflows', '--json', '--server', s.url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      { file: '.slipway/workflows/plain.yml', name: '.slipway/workflows/plain.yml', valid: true, error: null, events: ['push'], schedules: [], dispatchInputs: null },
      {
        file: '.slipway/workflows/release.yml',
        name: 'release',
        valid: true,
        error: null,
        events: ['push', 'workflow_dispatch'],
        schedules: [],
        dispatchInputs: {
          target: { type: 'choice', description: null, required: true, default: null, options: ['staging', 'prod'] },
          dry: { type: 'boolean', description: null, required: false, default: true, options: [] },
        },
      },
    ]);

    const started = await cli(['runs', 'dispatch', 'release', '--input', 'target=prod', '--input', 'dry=false', '--json', '--server', s.url]);
    expect(started.code, started.stderr).toBe(0);
    const queued = JSON.parse(started.stdout) as Run;
    expect(queued).toMatchObject({ trigger: 'manual', commitSha: sha, inputs: { target: 'prod', dry: 'false' } });
    const run = await finished(queued.id);
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect((await logsOf(run.id)).map((l) => l.text)).toContain('target=prod dry=false event=workflow_dispatch typed=true');

    const bad = await cli(['runs', 'dispatch', 'release.yml', '--input', 'target=dev', '--server', s.url]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('target');
    const missing = await cli(['runs', 'dispatch', 'relase', '--server', s.url]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('did you mean release?');
    const plain = await cli(['runs', 'dispatch', 'plain', '--server', s.url]);
    expect(plain.code).toBe(75);
    expect(plain.stderr).toContain('its on: has no workflow_dispatch');
  });

  it('with concurrency cancel-in-progress, a new run of the group cancels the one in progress', async () => {
    const wf = (seconds: number) => `name: deploy\non: push\nconcurrency:\n  group: deploy-\${{ github.ref }}\n  cancel-in-progress: true\njobs:\n  go:\n    runs-on: host\n    steps:\n      - run: sleep ${seconds}\n`;
    const first = await commitWorkflow(wf(3608), 'deploy 1');
    await waitFor('the first deploy to run', async () => processesMatching('sleep 3608') !== '', 20_000, 100);
    const second = await commitWorkflow(wf(1), 'deploy 2');
    const cancelled = await finished(first, 15_000);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toMatch(/^cancelled by run #\d+ in concurrency group deploy-refs\/heads\/main \(cancel-in-progress\)$/);
    expect((await finished(second)).status).toBe('succeeded');
    expect(processesMatching('sleep 3608')).toBe('');
  });
});
