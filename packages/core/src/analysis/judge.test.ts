import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyMetric, scoreJudgement, transform, type MetricJudgement } from './judge.js';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/mann-whitney.json', import.meta.url), 'utf8')) as { name: string; x: number[]; y: number[] }[];
const sample = (name: string) => fixtures.find((f) => f.name === name)!;
const noNoise = () => 0;

describe('classifyMetric (Kayenta MannWhitneyClassifier)', () => {
  it('flags a canary whose latency is clearly higher as High, and only for the direction that is bad', () => {
    const { x, y } = sample('canary 30% slower (latency ms)');
    expect(classifyMetric({ name: 'latency', direction: 'increase' }, x, y)).toMatchObject({ classification: 'High', critical: false });
    expect(classifyMetric({ name: 'latency' }, x, y).classification).toBe('High');
    expect(classifyMetric({ name: 'latency', direction: 'decrease' }, x, y).classification).toBe('Pass');
    // The effect (mean ratio ≈ 1.3) must reach allowedIncrease.
    expect(classifyMetric({ name: 'latency', allowedIncrease: 1.5 }, x, y).classification).toBe('Pass');
    expect(classifyMetric({ name: 'latency', critical: true, criticalIncrease: 1.1 }, x, y)).toMatchObject({ classification: 'High', critical: true });
  });

  it('passes samples from the same distribution', () => {
    const { x, y } = sample('same distribution');
    expect(classifyMetric({ name: 'latency' }, x, y).classification).toBe('Pass');
  });

  it('flags a lower value as Low (bad for throughput, good for errors)', () => {
    const { x, y } = sample('canary lower error rate');
    expect(classifyMetric({ name: 'errors' }, x, y).classification).toBe('Low');
    expect(classifyMetric({ name: 'errors', direction: 'increase' }, x, y).classification).toBe('Pass');
  });

  it('follows the order of the documented special cases: no data, identical, all equal, one distinct value each', () => {
    expect(classifyMetric({ name: 'm' }, [], [1, 2])).toMatchObject({ classification: 'Nodata', critical: false });
    expect(classifyMetric({ name: 'm', critical: true }, [NaN], [1])).toMatchObject({ classification: 'Nodata', critical: true });
    expect(classifyMetric({ name: 'm', mustHaveData: true }, [], [1])).toMatchObject({ classification: 'NodataFailMetric' });
    expect(classifyMetric({ name: 'm', nanStrategy: 'replace' }, [], [1]).classification).toBe('Pass');
    expect(classifyMetric({ name: 'm' }, [3, 1, 2], [2, 3, 1])).toMatchObject({ classification: 'Pass', reason: 'identical samples' });
    expect(classifyMetric({ name: 'm' }, [5, 5], [5, 5, 5])).toMatchObject({ classification: 'Pass', reason: 'all values equal' });
    // One distinct value on each side: noise is added so the test can run; 10 against 5 is clearly High.
    expect(classifyMetric({ name: 'm' }, [10, 10, 10], [5, 5, 5, 5], () => Math.random() - 0.5).classification).toBe('High');
    // Without the noise the interval cannot be computed (every shifted value ties): that is why Kayenta adds it.
    expect(classifyMetric({ name: 'm' }, [10, 10, 10], [5, 5, 5, 5], noNoise)).toMatchObject({ classification: 'Error', reason: expect.stringContaining('tied') });
  });

  it('drops outliers with the IQR fences only when asked', () => {
    const values = [10, 11, 12, 11, 10, 12, 11, 500];
    expect(transform(values, { outliers: 'keep' })).toHaveLength(8);
    expect(transform(values, { outliers: 'remove', outlierFactor: 3 })).not.toContain(500);
    expect(transform([1, NaN, 2], {})).toEqual([1, 2]);
    expect(transform([1, NaN, 2], { nanStrategy: 'replace' })).toEqual([1, 0, 2]);
  });
});

describe('scoreJudgement (WeightedSumScorer, ThresholdScoreClassifier)', () => {
  const m = (name: string, classification: MetricJudgement['classification'], critical = false): MetricJudgement => ({ name, classification, critical });

  it('scores Pass over the counted metrics; Nodata and Error are not counted', () => {
    const j = scoreJudgement([m('a', 'Pass'), m('b', 'Pass'), m('c', 'High'), m('d', 'Nodata'), m('e', 'Error')], { pass: 95, marginal: 75 });
    expect(j).toMatchObject({ score: 66.67, verdict: 'Fail' });
    expect(scoreJudgement([m('a', 'Pass'), m('b', 'Pass'), m('c', 'Pass'), m('d', 'Low')], { pass: 95, marginal: 75 })).toMatchObject({ score: 75, verdict: 'Marginal' });
    expect(scoreJudgement([m('a', 'Pass')], { pass: 95, marginal: 75 })).toMatchObject({ score: 100, verdict: 'Pass' });
  });

  it('weights groups, sharing what is not configured among the rest', () => {
    const groupOf = (name: string) => (name.startsWith('lat') ? 'latency' : 'errors');
    const j = scoreJudgement([m('lat1', 'Pass'), m('lat2', 'High'), m('err1', 'Pass')], { groups: { latency: 70 }, groupOf, pass: 95, marginal: 75 });
    // latency 50 × 0.7 + errors 100 × 0.3
    expect(j.score).toBe(65);
  });

  it('forces the score to 0 when a critical metric fails or half the metrics have no data', () => {
    expect(scoreJudgement([m('a', 'Pass'), m('b', 'Pass'), m('c', 'High', true)], { pass: 95, marginal: 75 })).toMatchObject({ score: 0, verdict: 'Fail', forcedToZero: 'critical metric c is High' });
    expect(scoreJudgement([m('a', 'Pass'), m('b', 'Nodata')], { pass: 95, marginal: 75 })).toMatchObject({ score: 0, forcedToZero: 'half the metrics or more have no data' });
    expect(scoreJudgement([m('a', 'Pass'), m('b', 'Pass'), m('c', 'Nodata')], { pass: 95, marginal: 75 }).score).toBe(100);
  });
});
