import { describe, expect, it } from 'vitest';
import { literalPrefix, shortHash } from './revision.js';

describe('literalPrefix', () => {
  it.each([
    ['lib/**', 'lib'],
    ['libs/common/**', 'libs/common'],
    ['libs/common/*.ts', 'libs/common'],
    ['libs/v?/x', 'libs'],
    ['libs/[ab]/x', 'libs'],
    ['services/api/**/index.ts', 'services/api'],
    ['package-lock.json', 'package-lock.json'],
    ['docs/guide.md', 'docs/guide.md'],
    ['**/auth.proto', undefined],
    ['*.json', undefined],
    ['**', undefined],
    ['', undefined],
    ['lib*/x', undefined],
  ])('%j → %j', (glob, expected) => {
    expect(literalPrefix(glob)).toBe(expected);
  });
});

describe('shortHash', () => {
  it('is a stable 16-hex-digit digest that changes with its input', () => {
    expect(shortHash('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHash('a')).toBe(shortHash('a'));
    expect(shortHash('a')).not.toBe(shortHash('b'));
  });
});
