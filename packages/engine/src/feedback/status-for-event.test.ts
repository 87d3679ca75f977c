import { describe, expect, it } from 'vitest';
import type { EventKind } from '@slipway/core';
import { deploymentStatus, runStatus } from './status-for-event.js';

const sha = 'c'.repeat(40);
const run = { id: 'run_1', number: 3, workflowName: 'ci', commitSha: sha, error: null };

describe('runStatus', () => {
  it.each<[EventKind, string, string]>([
    ['run.queued', 'pending', 'Run #3 queued'],
    ['run.started', 'pending', 'Run #3 running'],
    ['run.rerun', 'pending', 'Run #3 queued again'],
    ['run.succeeded', 'success', 'Run #3 succeeded in 1.5s'],
    ['run.failed', 'failure', 'Run #3 failed: job test failed'],
    ['run.cancelled', 'error', 'Run #3 cancelled'],
  ])('%s → %s', (kind, state, description) => {
    const failed = kind === 'run.failed' ? { ...run, error: 'job test failed' } : run;
    expect(runStatus(kind, failed, 1500)).toEqual({ sha, state, context: 'slipway/ci', description, route: '#/runs/run_1' });
  });

  it.each<EventKind>(['job.failed', 'release.created', 'feedback.failed'])('ignores %s', (kind) => {
    expect(runStatus(kind, run)).toBeUndefined();
  });
});

describe('deploymentStatus', () => {
  const data = { commitSha: sha, environment: 'prod', version: 4 };
  it.each<[EventKind, Record<string, unknown>, string, string]>([
    ['deployment.started', data, 'pending', 'Deploying v4 to prod'],
    ['deployment.succeeded', data, 'success', 'v4 deployed to prod'],
    ['deployment.failed', { ...data, reason: 'health check failed' }, 'failure', 'v4 failed in prod: health check failed'],
    ['deployment.rolled-back', { ...data, toVersion: 3, reason: 'unhealthy' }, 'failure', 'prod rolled back from v4 to v3: unhealthy'],
  ])('%s → %s', (kind, d, state, description) => {
    expect(deploymentStatus(kind, d)).toEqual({ sha, state, context: 'slipway/deploy/prod', description, route: '#/' });
  });

  it('needs the commit and the environment', () => {
    expect(deploymentStatus('deployment.started', { environment: 'prod', version: 1 })).toBeUndefined();
    expect(deploymentStatus('drift.detected', data)).toBeUndefined();
  });
});
