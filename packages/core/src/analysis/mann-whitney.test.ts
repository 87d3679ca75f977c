import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mannWhitney, normalQuantile, ranks, shiftStatistic } from './mann-whitney.js';

/** Computed by R's wilcox.test (fixtures/mann-whitney.r, which says how). */
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/mann-whitney.json', import.meta.url), 'utf8')) as {
  name: string;
  x: number[];
  y: number[];
  lower: number;
  upper: number;
  estimate: number;
}[];

describe('mannWhitney', () => {
  it('ranks ties by their mean position', () => {
    expect(ranks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });

  it('knows the normal quantiles Kayenta uses', () => {
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 6);
  });

  it.each(fixtures)('matches R for "$name"', (c) => {
    const got = mannWhitney(c.x, c.y, 0.98);
    // R's uniroot stops at a tolerance of 1e-4. The statistic is a step function: the interval's ends are jumps, which
    // both find. The estimate is a jump too, or else any point of the flat stretch where the corrected statistic is 0.
    const tol = 2e-4 * Math.max(1, ...[...c.x, ...c.y].map(Math.abs));
    expect(Math.abs(got.lower - c.lower)).toBeLessThan(tol);
    expect(Math.abs(got.upper - c.upper)).toBeLessThan(tol);
    const sameJump = Math.abs(got.estimate - c.estimate) < tol;
    const sameFlat = shiftStatistic(c.x, c.y, got.estimate, 0) === 0 && Math.min(...[-tol, 0, tol].map((d) => Math.abs(shiftStatistic(c.x, c.y, c.estimate + d, 0)))) === 0;
    expect(sameJump || sameFlat, `estimate ${got.estimate} against R's ${c.estimate}`).toBe(true);
  });

  it('refuses samples that are all tied', () => {
    expect(() => mannWhitney([1, 1], [1, 1])).toThrow(/all observations are tied/);
  });
});
