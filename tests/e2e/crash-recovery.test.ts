import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run, RunDetail } from '@slipway/core';
import { freePort, git, processesMatching, servicesIn, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';

/** SIGKILL in the middle of a run: on restart the run is retried, the store is consistent and the demo converges. */
describe('crash recovery', () => {
  const dir = tempDir('crash');
  const repo = join(dir.path, 'demo-repo');
  let s: ServerProcess | undefined;

  afterAll(async () => {
    await s?.stop();
    const left = processesMatching(dir.path);
    dir.remove();
    expect(left, 'processes left behind').toBe('');
  });

  it('retries an interrupted run after a SIGKILL and converges again', async () => {
    const port = await freePort();
    const args = ['demo', '--data-dir', dir.path, '--quiet'];
    s = await startSlipway(args, { port });
    await waitFor('the demo to be healthy', async () => { const svc = servicesIn(await s!.status()); return ['api', 'web', 'worker'].every((n) => svc.get(n)?.health === 'healthy'); }, 60_000);

    // A commit whose CI takes a few seconds, so that the kill lands in the middle of the run.
    const workflow = join(repo, '.slipway/workflows/api.yml');
    writeFileSync(workflow, readFileSync(workflow, 'utf8').replace(/steps:\n/, 'steps:\n      - name: slow step\n        run: sleep 3\n'));
    const version = join(repo, 'services/api/src/version.mjs');
    writeFileSync(version, readFileSync(version, 'utf8').replace(/VERSION = '[^']*'/, "VERSION = '2.0.0'"));
    await git(repo, 'commit', '-qam', 'slow api ci');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const running = await waitFor('the run to be in its slow step', async () => {
      const [run] = (await s!.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
      if (!run) return undefined;
      const detail = await s!.get<RunDetail>(`/api/runs/${run.id}`);
      return detail.jobs[0]?.steps.some((st) => st.name === 'slow step' && st.status === 'running') ? detail : undefined;
    }, 20_000, 100);
    await s.kill9();

    s = await startSlipway(args, { port });
    const finished = await waitFor('the run to finish after the restart', async () => {
      const run = await s!.get<RunDetail>(`/api/runs/${running.id}`);
      return run.status === 'succeeded' || run.status === 'failed' ? run : undefined;
    }, 40_000);
    expect(finished.status).toBe('succeeded');
    expect(finished.attempt).toBe(2);
    const events = await s.events();
    expect(events.some((e) => e.kind === 'run.retried' && e.subject === `run:${running.id}`)).toBe(true);

    // The release built from the retried run reaches dev, and every service is healthy again.
    await waitFor('api 2.0.0 in dev and all healthy', async () => {
      const svc = servicesIn(await s!.status());
      const api = svc.get('api');
      if (!api?.url || !['api', 'web', 'worker'].every((n) => svc.get(n)?.health === 'healthy')) return false;
      const body = await (await fetch(`${api.url}/healthz`)).text();
      return body.includes('2.0.0');
    }, 40_000);

    // The store is consistent: no run is left running or queued, and the queue drains.
    const runs = (await s.get<{ items: Run[] }>('/api/runs?limit=100')).items;
    expect(runs.filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
    await waitFor('the queue to drain', async () => {
      const metrics = await (await fetch(`${s!.url}/metrics`)).text();
      return !/slipway_queue_depth\{[^}]*status="leased"[^}]*\} [1-9]/.test(metrics) || undefined;
    }, 20_000);
  }, 180_000);
});
