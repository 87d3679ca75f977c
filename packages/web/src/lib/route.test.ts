import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './route.js';

describe('routes', () => {
  const cases: [string, Route][] = [
    ['#/', { page: 'overview' }],
    ['#/runs', { page: 'runs' }],
    ['#/runs/r1', { page: 'run', runId: 'r1' }],
    ['#/runs/r1/steps/s%2F2', { page: 'step', runId: 'r1', stepId: 's/2' }],
    ['#/releases', { page: 'releases' }],
    ['#/events', { page: 'events' }],
    ['#/plan', { page: 'plan' }],
    ['#/plan/branch/feature/x', { page: 'plan', branch: 'feature/x' }],
    ['#/plan/pr/12', { page: 'plan', pr: 12 }],
  ];
  it.each(cases)('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(href(route)).toBe(hash);
  });

  it('a run path with an unknown tail is the run', () => {
    expect(parseRoute('#/runs/r1/steps')).toEqual({ page: 'run', runId: 'r1' });
  });
});
