import type { ApplyResult, DesiredService, Health, ObservedService, ObservedState } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { assessEnvironment, type EnvironmentSpec } from './environment-reconciler.js';

const want = (service: string, revision: string): DesiredService => ({
  service,
  releaseId: 'rel_2',
  revision,
  artifact: `/artifacts/${service}`,
  command: 'node server.js',
  env: {},
  port: 4000,
  health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 },
});
const have = (service: string, revision: string | null, health: Health): ObservedService => ({
  service,
  revision,
  releaseId: 'rel_2',
  health,
  url: 'http://127.0.0.1:4000',
  instances: [],
  message: null,
});

const spec: EnvironmentSpec = { desired: { environment: 'env_dev', services: [want('api', 'r-api'), want('web', 'r-web')] } };
const live = (...services: ObservedService[]): ObservedState => ({ environment: 'env_dev', services });
const applied = (...results: [string, boolean, string | null][]): ApplyResult => ({
  environment: 'env_dev',
  results: results.map(([service, ok, message]) => ({ service, action: 'replace', ok, message })),
});
const allGood = live(have('api', 'r-api', 'healthy'), have('web', 'r-web', 'healthy'));

describe('assessEnvironment', () => {
  it('stalls with SLW_HEALTH_CHECK_FAILED naming every failed service when the apply failed', () => {
    const result = assessEnvironment(spec, applied(['api', false, 'no answer on /healthz after 30s'], ['web', true, null], ['worker', false, null]), allGood);
    expect(result.kind).toBe('stalled');
    if (result.kind !== 'stalled') return;
    expect(result.error.code).toBe('SLW_HEALTH_CHECK_FAILED');
    expect(result.error.message).toBe('api: no answer on /healthz after 30s; worker: failed');
    expect(result.status).toBe(allGood);
  });

  it.each([
    ['a service is not observed at all', live(have('web', 'r-web', 'healthy')), 'api does not run its desired revision yet'],
    ['a service runs another revision', live(have('api', 'r-old', 'healthy'), have('web', 'r-web', 'healthy')), 'api does not run its desired revision yet'],
    ['a service runs no revision', live(have('api', 'r-api', 'healthy'), have('web', null, 'missing')), 'web does not run its desired revision yet'],
    ['a service is still progressing', live(have('api', 'r-api', 'healthy'), have('web', 'r-web', 'progressing')), 'web is progressing'],
    ['a service is degraded', live(have('api', 'r-api', 'degraded'), have('web', 'r-web', 'healthy')), 'api is degraded'],
    ['a service is unknown', live(have('api', 'r-api', 'healthy'), have('web', 'r-web', 'unknown')), 'web is unknown'],
  ])('requeues when %s', (_what, observed, reason) => {
    expect(assessEnvironment(spec, applied(['api', true, null], ['web', true, null]), observed)).toEqual({ kind: 'requeue', afterMs: 1000, status: observed, reason });
  });

  it('is done when every desired service runs its revision healthily', () => {
    expect(assessEnvironment(spec, applied(['api', true, null]), allGood)).toEqual({ kind: 'done', status: allGood });
  });

  it('ignores observed services that are not desired', () => {
    const observed = live(...allGood.services, have('old', 'r-x', 'degraded'));
    expect(assessEnvironment(spec, applied(), observed)).toEqual({ kind: 'done', status: observed });
  });
});
