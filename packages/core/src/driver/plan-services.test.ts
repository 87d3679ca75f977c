import { describe, expect, it } from 'vitest';
import type { Health } from '../health/health.js';
import type { DesiredService, ObservedService } from './contract.js';
import { planServices } from './plan-services.js';

const desired = (service: string, revision: string): DesiredService => ({
  service,
  releaseId: 'rel_2',
  revision,
  artifact: `/artifacts/${service}`,
  command: 'node server.js',
  env: {},
  port: 4000,
  health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 },
});

const observed = (service: string, revision: string | null, health: Health, instances = 1): ObservedService => ({
  service,
  revision,
  releaseId: revision && 'rel_1',
  health,
  url: 'http://127.0.0.1:4000',
  instances: Array.from({ length: instances }, (_, i) => ({ id: `${service}-${i}`, revision: revision ?? 'none', releaseId: 'rel_1', pid: 100 + i, port: 5000 + i, health, startedAt: '2026-01-01T00:00:00.000Z' })),
  message: null,
});

describe('planServices', () => {
  it.each<[string, ObservedService | undefined, string, string]>([
    ['never observed', undefined, 'create', 'not running'],
    ['observed as missing with no instance', observed('api', null, 'missing', 0), 'create', 'not running'],
    ['instances but no serving revision', observed('api', null, 'progressing'), 'create', 'not running'],
    ['another revision', observed('api', 'aaaaaaaaaaaa1111', 'healthy'), 'replace', 'revision aaaaaaaa → bbbbbbbb'],
    ['another revision that is degraded', observed('api', 'aaaaaaaaaaaa1111', 'degraded'), 'replace', 'revision aaaaaaaa → bbbbbbbb'],
    ['the same revision, degraded', observed('api', 'bbbbbbbbbbbb2222', 'degraded'), 'restart', 'instance is degraded'],
    ['the same revision, missing', observed('api', 'bbbbbbbbbbbb2222', 'missing'), 'restart', 'instance is missing'],
    ['the same revision, healthy', observed('api', 'bbbbbbbbbbbb2222', 'healthy'), 'noop', 'up to date'],
    ['the same revision, still progressing', observed('api', 'bbbbbbbbbbbb2222', 'progressing'), 'noop', 'up to date'],
  ])('%s → %s', (_what, have, type, reason) => {
    const want = desired('api', 'bbbbbbbbbbbb2222');
    const plan = planServices({ environment: 'env_dev', services: [want] }, { environment: 'env_dev', services: have ? [have] : [] });
    expect(plan.environment).toBe('env_dev');
    expect(plan.actions).toEqual([type === 'noop' ? { type, service: 'api', reason } : { type, service: 'api', reason, desired: want }]);
  });

  it('plans in the desired order and never deletes services it was not asked about', () => {
    const plan = planServices(
      { environment: 'e', services: [desired('api', 'r1'), desired('web', 'r2')] },
      { environment: 'e', services: [observed('web', 'r2', 'healthy'), observed('old', 'r0', 'healthy')] },
    );
    expect(plan.actions.map((a) => [a.service, a.type])).toEqual([
      ['api', 'create'],
      ['web', 'noop'],
    ]);
  });
});
