import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoraReport } from '@slipway/core';
import { createStore } from '@slipway/store';
import { scriptedHistory } from '../../packages/core/src/insights/testdata/scripted-history.js';
import { cli, freePort, startSlipway, tempDir, type ServerProcess } from './harness.js';
import { initRepo } from './project-repo.js';

/**
 * `slipway insights` on a scripted history: the events of a week (deploys, a failed one rolled back automatically, one
 * rolled back by hand) are written into the event log with their own times, then a real server answers the CLI.
 */
describe('slipway insights', () => {
  const dir = tempDir('insights');
  const dataDir = join(dir.path, 'data');
  let s: ServerProcess;

  beforeAll(async () => {
    // A repository without slipway.yaml: polling it adds no commit, release or deploy of its own.
    await initRepo(join(dir.path, 'repo'), { 'README.md': 'history only\n' });
    let now = new Date('2026-11-01T00:00:00Z');
    const store = await createStore({ dataDir, clock: { now: () => now } });
    try {
      const project = await store.createProject({ name: 'hist', repoUrl: join(dir.path, 'repo'), branch: 'main', ciBranches: [], pollIntervalMs: 3_600_000 });
      await store.syncEnvironments(project.id, [
        { name: 'dev', position: 0, targetType: 'local' },
        { name: 'prod', position: 1, targetType: 'local' },
      ]);
      for (const e of scriptedHistory) {
        now = new Date(e.ts);
        await store.appendEvent({ kind: e.kind, projectId: project.id, subject: null, message: `scripted ${e.kind}`, data: e.data });
      }
    } finally {
      await store.close();
    }
    s = await startSlipway(['server', '--data-dir', dataDir], { port: await freePort() });
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
  });

  it('gives the four keys and the tiers the history implies, as JSON and as a table', async () => {
    const period = ['--project', 'hist', '--from', '2026-11-01T00:00:00Z', '--to', '2026-11-08T00:00:00Z', '--server', s.url];
    const json = await cli(['insights', ...period, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as DoraReport;
    expect(report).toMatchObject({
      environment: 'prod',
      deployments: 4,
      deploymentFrequency: { perDay: 0.571, tier: 'high' },
      leadTime: { medianSeconds: 21600, changes: 5, tier: 'elite' },
      changeFailRate: { rate: 0.5, failed: 2, tier: 'low' },
      recoveryTime: { medianSeconds: 3900, failures: 2, recovered: 2, tier: 'high' },
      tier: { report: 'DORA 2024', overall: 'low' },
    });
    const text = await cli(['insights', ...period]);
    expect(text.stdout).toMatch(/deployment frequency\s+0\.571 \/ day\s+high/);
    expect(text.stdout).toMatch(/change lead time\s+6 h \(median of 5 changes\)\s+elite/);
    expect(text.stdout).toMatch(/change fail rate\s+50 % \(2 of 4\)\s+low/);
    expect(text.stdout).toMatch(/recovery time\s+65 min \(2 of 2 failures recovered\)\s+high/);
    expect(text.stdout).toContain('overall: low');
    const dev = JSON.parse((await cli(['insights', ...period, '--env', 'dev', '--json'])).stdout) as DoraReport;
    expect(dev).toMatchObject({ environment: 'dev', deployments: 1 });
  });

  it('refuses an unknown environment and an empty period with a clear error', async () => {
    const nope = await cli(['insights', '--project', 'hist', '--env', 'qa', '--server', s.url]);
    expect(nope.code).not.toBe(0);
    expect(nope.stderr).toContain('SLW_NOT_FOUND environment qa not found in hist');
    const empty = await cli(['insights', '--project', 'hist', '--from', '2026-11-08', '--to', '2026-11-01', '--server', s.url]);
    expect(empty.stderr).toContain('the period is empty');
  });

  it('exports the four keys of the last environment as Prometheus gauges', async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    for (const name of ['slipway_dora_deployments_per_day', 'slipway_dora_change_fail_rate']) expect(text).toMatch(new RegExp(`^${name}\\{project="hist",environment="prod"\\} [0-9.]+$`, 'm'));
  });
});
