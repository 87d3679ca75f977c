import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineHealth, healthStatuses, isWorse, type Health } from './health.js';

describe('isWorse', () => {
  it.each([
    ['degraded', 'healthy', true],
    ['healthy', 'degraded', false],
    ['unknown', 'missing', true],
    ['missing', 'progressing', true],
    ['progressing', 'suspended', true],
    ['suspended', 'healthy', true],
    ['healthy', 'healthy', false],
    ['degraded', 'degraded', false],
  ] as const)('%s worse than %s → %s', (a, b, expected) => {
    expect(isWorse(a, b)).toBe(expected);
  });

  it('orders healthStatuses from best to worst', () => {
    for (const [i, h] of healthStatuses.entries()) {
      for (const other of healthStatuses.slice(i + 1)) {
        expect(isWorse(other, h)).toBe(true);
        expect(isWorse(h, other)).toBe(false);
      }
    }
  });
});

describe('combineHealth', () => {
  it.each<[Health[], Health]>([
    [[], 'missing'],
    [['healthy'], 'healthy'],
    [['healthy', 'healthy'], 'healthy'],
    [['healthy', 'progressing'], 'progressing'],
    [['progressing', 'healthy', 'suspended'], 'progressing'],
    [['healthy', 'missing', 'progressing'], 'missing'],
    [['unknown', 'missing'], 'unknown'],
    [['degraded', 'unknown', 'healthy'], 'degraded'],
  ])('%j → %s', (values, expected) => {
    expect(combineHealth(values)).toBe(expected);
  });

  const health = fc.constantFrom(...healthStatuses);
  const healths = fc.array(health, { minLength: 1, maxLength: 10 });

  it('returns an element of its input that no other element is worse than', () => {
    fc.assert(
      fc.property(healths, (values) => {
        const combined = combineHealth(values);
        expect(values).toContain(combined);
        for (const h of values) expect(isWorse(h, combined)).toBe(false);
      }),
    );
  });

  it('is commutative: any order of the same values gives the same result', () => {
    fc.assert(
      fc.property(healths, fc.array(fc.nat()), (values, keys) => {
        const shuffled = values.map((v, i) => ({ v, k: keys[i] ?? i })).sort((a, b) => a.k - b.k).map((x) => x.v);
        expect(combineHealth(shuffled)).toBe(combineHealth(values));
      }),
    );
    fc.assert(
      fc.property(health, health, (a, b) => {
        expect(combineHealth([a, b])).toBe(combineHealth([b, a]));
      }),
    );
  });

  it('is associative: combining parts of parts equals combining everything', () => {
    fc.assert(
      fc.property(healths, healths, (a, b) => {
        expect(combineHealth([combineHealth(a), combineHealth(b)])).toBe(combineHealth([...a, ...b]));
      }),
    );
  });
});
