import { describe, expect, it } from 'vitest';
import { analysisMetricSchema } from '../config/schema.js';
import { durationMs } from './duration.js';
import { judgeCanary, judgeProxy, judgeValue, type Measurement, type RequestSample } from './measurement.js';
import { decideRollout, dueMetrics, worstCaseExposure, type NamedMetric } from './rollout.js';

const metric = (m: Record<string, unknown> = {}) => analysisMetricSchema.parse(m);
const t0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const sample = (status: number, ms = 5): RequestSample => ({ version: 'c', status, ms });
const measured = (name: string, step: number, s: number, phase: Measurement['phase']): Measurement => ({ metric: name, at: at(s), step, weight: 10, phase, value: null, threshold: null, detail: `${phase} at ${s}s` });

describe('measurements', () => {
  it('reads durations', () => {
    expect([durationMs('500ms'), durationMs('5s'), durationMs('2m'), durationMs('1h'), durationMs('1.5s')]).toEqual([500, 5000, 120_000, 3_600_000, 1500]);
    expect(() => durationMs('5')).toThrow();
  });

  it('judges the proxy window on the success rate and p99', () => {
    const m = metric({ successRate: 0.95, p99LatencyMs: 50 });
    const good = Array.from({ length: 20 }, () => sample(200, 4));
    expect(judgeProxy(m, good)).toMatchObject({ phase: 'successful', value: 1 });
    const bad = [...Array.from({ length: 7 }, () => sample(200)), ...Array.from({ length: 3 }, () => sample(500))];
    expect(judgeProxy(m, bad)).toMatchObject({ phase: 'failed', value: 0.7, detail: expect.stringContaining('3 of 10 failed') });
    expect(judgeProxy(m, [...good, sample(200, 900)])).toMatchObject({ phase: 'failed', detail: expect.stringContaining('p99 900.0 ms') });
  });

  it('makes too few requests an outcome of its own, by the no-data policy', () => {
    expect(judgeProxy(metric({ successRate: 0.9 }), [sample(200)])).toMatchObject({ phase: 'inconclusive', value: null, detail: expect.stringContaining('1 request to the canary') });
    expect(judgeProxy(metric({ successRate: 0.9, noData: 'fail' }), [])).toMatchObject({ phase: 'failed' });
    expect(judgeProxy(metric({ successRate: 0.9, noData: 'ignore' }), [])).toMatchObject({ phase: 'skipped' });
    expect(judgeValue(metric({ max: 0.05 }), null)).toMatchObject({ phase: 'inconclusive' });
    expect(judgeValue(metric({ max: 0.05 }), 0.3)).toMatchObject({ phase: 'failed', threshold: '≤ 0.05' });
    expect(judgeValue(metric({ min: 0.99 }), 1)).toMatchObject({ phase: 'successful' });
  });

  it('runs the judge on canary against stable', () => {
    const m = metric({ source: 'judge' });
    const stable = Array.from({ length: 40 }, (_, i) => sample(200, 5 + (i % 7)));
    const same = Array.from({ length: 30 }, (_, i) => sample(200, 5 + ((i * 3) % 7)));
    expect(judgeCanary(m, same, stable)).toMatchObject({ phase: 'successful', value: 100 });
    const slow = Array.from({ length: 30 }, (_, i) => sample(200, 15 + (i % 7)));
    expect(judgeCanary(m, slow, stable)).toMatchObject({ phase: 'failed', value: 50, detail: expect.stringContaining('latency High') });
    // Errors per request are 0 or 1: the rank test sees a shift once most canary requests fail (thresholds on the
    // success rate catch fewer; see the proxy metric).
    const failing = Array.from({ length: 30 }, (_, i) => sample(i % 3 === 0 ? 200 : 500, 5 + (i % 7)));
    expect(judgeCanary(m, failing, stable)).toMatchObject({ phase: 'failed', value: 0, detail: expect.stringContaining('critical metric errors is High') });
  });
});

describe('decideRollout', () => {
  const errors: NamedMetric = ['errors', metric({ successRate: 0.95, interval: '5s' })];
  const base = { steps: [10, 50, 100], stepIndex: 0, stepStartedAt: at(0), measurements: [] as Measurement[] };

  it('waits an interval, measures, then goes to the next step and promotes at 100', () => {
    expect(dueMetrics(base, [errors], t0 + 4000)).toEqual([]);
    expect(dueMetrics(base, [errors], t0 + 5000)).toEqual([errors]);
    expect(decideRollout(base, { autoPromote: true }, [errors], t0 + 1000)).toEqual({ type: 'wait', untilMs: t0 + 5000 });
    const passed = { ...base, measurements: [measured('errors', 0, 5, 'successful')] };
    expect(decideRollout(passed, { autoPromote: true }, [errors], t0 + 5000)).toMatchObject({ type: 'advance', stepIndex: 1, weight: 50 });
    const second = { ...passed, stepIndex: 1, stepStartedAt: at(5), measurements: [...passed.measurements, measured('errors', 1, 10, 'successful')] };
    expect(decideRollout(second, { autoPromote: true }, [errors], t0 + 10_000)).toMatchObject({ type: 'promote' });
    expect(decideRollout(passed, { autoPromote: false }, [errors], t0 + 5000)).toMatchObject({ type: 'pause', reason: expect.stringContaining('slipway promote') });
  });

  it('aborts on a failure beyond the limit, and after too many errors in a row', () => {
    expect(decideRollout({ ...base, measurements: [measured('errors', 0, 5, 'failed')] }, { autoPromote: true }, [errors], t0 + 5000)).toMatchObject({ type: 'abort', reason: 'errors failed: failed at 5s' });
    const lenient: NamedMetric = ['errors', metric({ successRate: 0.95, failureLimit: 1, count: 3 })];
    expect(decideRollout({ ...base, measurements: [measured('errors', 0, 5, 'failed')] }, { autoPromote: true }, [lenient], t0 + 5000).type).toBe('wait');
    const fiveErrors = [5, 10, 15, 20, 25].map((s) => measured('errors', 0, s, 'error'));
    expect(decideRollout({ ...base, measurements: fiveErrors.slice(0, 4) }, { autoPromote: true }, [errors], t0 + 20_000).type).toBe('wait');
    expect(decideRollout({ ...base, measurements: fiveErrors }, { autoPromote: true }, [errors], t0 + 25_000)).toMatchObject({ type: 'abort', reason: expect.stringContaining('5 times in a row') });
  });

  it('pauses on an inconclusive measurement, saying why', () => {
    expect(decideRollout({ ...base, measurements: [measured('errors', 0, 5, 'inconclusive')] }, { autoPromote: true }, [errors], t0 + 5000)).toEqual({ type: 'pause', reason: 'errors is inconclusive: inconclusive at 5s' });
  });

  it('holds each step for 5 s without analysis', () => {
    expect(decideRollout(base, { autoPromote: true }, [], t0 + 1000)).toEqual({ type: 'wait', untilMs: t0 + 5000 });
    expect(decideRollout(base, { autoPromote: true }, [], t0 + 5000)).toMatchObject({ type: 'advance', weight: 50 });
  });

  it('computes the worst-case exposure as (failure limit + 1) × interval at the weight', () => {
    expect(worstCaseExposure([errors], 10)).toBe('10 % of requests for at most 5 s');
    expect(worstCaseExposure([['slow', metric({ interval: '10s', failureLimit: 2 })]], 50)).toBe('50 % of requests for at most 30 s');
    expect(worstCaseExposure([], 10)).toBeNull();
  });
});
