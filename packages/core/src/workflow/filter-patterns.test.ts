import { describe, expect, it } from 'vitest';
import { matchesFilter } from './filter-patterns.js';

describe('matchesFilter', () => {
  it.each([
    ['main', ['main'], true],
    ['feature/a', ['feature/*'], true],
    ['feature/a/b', ['feature/*'], false],
    ['feature/a/b', ['feature/**'], true],
    ['release/1-alpha', ['release/**', '!release/**-alpha'], false],
    ['release/1', ['release/**', '!release/**-alpha'], true],
    // A later pattern includes again what a negation excluded.
    ['release/1-alpha', ['release/**', '!release/**-alpha', 'release/1-alpha'], true],
    // A negation excludes only what was included before it.
    ['main', ['!main'], false],
    ['docs/a.md', ['**.md'], true],
    ['src/a.ts', ['**.md'], false],
  ])('%s against %j → %s', (name, patterns, expected) => {
    expect(matchesFilter(name, patterns)).toBe(expected);
  });
});
