import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from './glob.js';

describe('globToRegExp', () => {
  it.each([
    // `**` at the end: anything below, at any depth, but not the directory itself.
    ['services/api/**', 'services/api/server.js', true],
    ['services/api/**', 'services/api/src/deep/x.ts', true],
    ['services/api/**', 'services/api', false],
    ['services/api/**', 'services/apix/server.js', false],
    ['services/api/**', 'other/services/api/x', false],
    // `**/`: zero or more whole directories.
    ['**/package.json', 'package.json', true],
    ['**/package.json', 'a/b/package.json', true],
    ['**/package.json', 'a/b/xpackage.json', false],
    ['lib/**/index.ts', 'lib/index.ts', true],
    ['lib/**/index.ts', 'lib/a/b/index.ts', true],
    ['lib/**/index.ts', 'libx/index.ts', false],
    // `**` without a slash crosses directories.
    ['**.md', 'docs/guide/intro.md', true],
    ['**', 'any/thing/at/all', true],
    // `*`: within one path segment.
    ['*.yaml', 'slipway.yaml', true],
    ['*.yaml', 'config/slipway.yaml', false],
    ['src/*.ts', 'src/index.ts', true],
    ['src/*.ts', 'src/a/index.ts', false],
    ['src/*', 'src/', true],
    ['*', '.env', true],
    // `?`: exactly one character, never a slash.
    ['v?.txt', 'v1.txt', true],
    ['v?.txt', 'v.txt', false],
    ['v?.txt', 'v12.txt', false],
    ['a?b', 'a/b', false],
    // Dots and other regex metacharacters are literal.
    ['package.json', 'package.json', true],
    ['package.json', 'packageXjson', false],
    ['a+b.(c)', 'a+b.(c)', true],
    ['a+b.(c)', 'aab.(c)', false],
    ['$HOME/^x|y', '$HOME/^x|y', true],
    ['[ab].txt', '[ab].txt', true],
    ['[ab].txt', 'a.txt', false],
    ['{a,b}.js', '{a,b}.js', true],
    ['{a,b}.js', 'a.js', false],
    // Literal paths match only themselves, as whole paths.
    ['slipway.yaml', 'slipway.yaml', true],
    ['slipway.yaml', 'x/slipway.yaml', false],
    ['slipway.yaml', 'slipway.yaml.bak', false],
  ])('%s against %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('returns the same compiled expression for the same glob', () => {
    expect(globToRegExp('a/**/b')).toBe(globToRegExp('a/**/b'));
  });
});

describe('matchesAny', () => {
  it.each([
    ['services/api/x.js', ['services/web/**', 'services/api/**'], 'services/api/**'],
    ['package-lock.json', ['*.json', 'package-lock.json'], '*.json'],
    ['README.md', ['services/**'], undefined],
    ['README.md', [], undefined],
  ] as const)('%s in %j → %s', (path, globs, expected) => {
    expect(matchesAny(path, globs)).toBe(expected);
  });
});

describe('globToRegExp properties', () => {
  const literal = fc.string({ minLength: 1 }).filter((s) => !/[*?]/.test(s));

  it('a literal path matches exactly itself', () => {
    fc.assert(
      fc.property(literal, fc.string(), (glob, other) => {
        const re = globToRegExp(glob);
        expect(re.test(glob)).toBe(true);
        expect(re.test(other)).toBe(other === glob);
        expect(re.test(`${glob}x`)).toBe(false);
        expect(re.test(`x/${glob}`)).toBe(false);
        expect(re.test(glob.slice(1))).toBe(false);
      }),
    );
  });

  it('`dir/**` matches every path below dir', () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.array(segment, { minLength: 1, maxLength: 4 }), (dir, rest) => {
        expect(globToRegExp(`${dir.join('/')}/**`).test([...dir, ...rest].join('/'))).toBe(true);
      }),
    );
  });
});
