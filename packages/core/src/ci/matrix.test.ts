import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../errors/slipway-error.js';
import type { ExpressionValue } from '../expressions/types.js';
import { expandMatrix } from './matrix.js';

// The examples of GitHub's documentation, "Running variations of jobs in a workflow" and the workflow syntax reference
// (strategy.matrix, matrix.include, matrix.exclude, fail-fast), with the combinations the documentation lists.
describe('expandMatrix: the examples of GitHub\'s documentation', () => {
  it.each<[string, ExpressionValue, ExpressionValue[]]>([
    [
      'a multi-dimensional matrix, first variable slowest',
      { version: [10, 12, 14], os: ['ubuntu-latest', 'windows-latest'] },
      [
        { version: 10, os: 'ubuntu-latest' },
        { version: 10, os: 'windows-latest' },
        { version: 12, os: 'ubuntu-latest' },
        { version: 12, os: 'windows-latest' },
        { version: 14, os: 'ubuntu-latest' },
        { version: 14, os: 'windows-latest' },
      ],
    ],
    ['a single-dimension matrix', { version: [10, 12, 14] }, [{ version: 10 }, { version: 12 }, { version: 14 }]],
    [
      'a variable of objects',
      { os: ['ubuntu-latest', 'macos-latest'], node: [{ version: 14 }, { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' }] },
      [
        { os: 'ubuntu-latest', node: { version: 14 } },
        { os: 'ubuntu-latest', node: { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' } },
        { os: 'macos-latest', node: { version: 14 } },
        { os: 'macos-latest', node: { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' } },
      ],
    ],
    [
      'expanding or adding matrix configurations (fruit and animal)',
      {
        fruit: ['apple', 'pear'],
        animal: ['cat', 'dog'],
        include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'apple', shape: 'circle' }, { fruit: 'banana' }, { fruit: 'banana', animal: 'cat' }],
      },
      [
        { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
        { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
        { fruit: 'pear', animal: 'cat', color: 'pink' },
        { fruit: 'pear', animal: 'dog', color: 'green' },
        { fruit: 'banana' },
        { fruit: 'banana', animal: 'cat' },
      ],
    ],
    [
      'example: expanding configurations (npm 6 for windows and node 16)',
      { os: ['windows-latest', 'ubuntu-latest'], node: [14, 16], include: [{ os: 'windows-latest', node: 16, npm: 6 }] },
      [
        { os: 'windows-latest', node: 14 },
        { os: 'windows-latest', node: 16, npm: 6 },
        { os: 'ubuntu-latest', node: 14 },
        { os: 'ubuntu-latest', node: 16 },
      ],
    ],
    [
      'example: adding configurations (10 jobs)',
      { os: ['macos-latest', 'windows-latest', 'ubuntu-latest'], version: [12, 14, 16], include: [{ os: 'windows-latest', version: 17 }] },
      [
        ...['macos-latest', 'windows-latest', 'ubuntu-latest'].flatMap((os) => [12, 14, 16].map((version) => ({ os, version }))),
        { os: 'windows-latest', version: 17 },
      ],
    ],
    [
      'no variables: every include runs',
      { include: [{ site: 'production', datacenter: 'site-a' }, { site: 'staging', datacenter: 'site-b' }] },
      [
        { site: 'production', datacenter: 'site-a' },
        { site: 'staging', datacenter: 'site-b' },
      ],
    ],
    [
      'excluding matrix configurations (nine jobs; a partial match excludes)',
      {
        os: ['macos-latest', 'windows-latest'],
        version: [12, 14, 16],
        environment: ['staging', 'production'],
        exclude: [{ os: 'macos-latest', version: 12, environment: 'production' }, { os: 'windows-latest', version: 16 }],
      },
      [
        { os: 'macos-latest', version: 12, environment: 'staging' },
        { os: 'macos-latest', version: 14, environment: 'staging' },
        { os: 'macos-latest', version: 14, environment: 'production' },
        { os: 'macos-latest', version: 16, environment: 'staging' },
        { os: 'macos-latest', version: 16, environment: 'production' },
        { os: 'windows-latest', version: 12, environment: 'staging' },
        { os: 'windows-latest', version: 12, environment: 'production' },
        { os: 'windows-latest', version: 14, environment: 'staging' },
        { os: 'windows-latest', version: 14, environment: 'production' },
      ],
    ],
    [
      'fail-fast with continue-on-error (four jobs)',
      { version: [6, 7, 8], experimental: [false], include: [{ version: 9, experimental: true }] },
      [
        { version: 6, experimental: false },
        { version: 7, experimental: false },
        { version: 8, experimental: false },
        { version: 9, experimental: true },
      ],
    ],
    [
      'preventing a failing matrix job from failing the run',
      { node: [13, 14], os: ['macos-latest', 'ubuntu-latest'], experimental: [false], include: [{ node: 15, os: 'ubuntu-latest', experimental: true }] },
      [
        { node: 13, os: 'macos-latest', experimental: false },
        { node: 13, os: 'ubuntu-latest', experimental: false },
        { node: 14, os: 'macos-latest', experimental: false },
        { node: 14, os: 'ubuntu-latest', experimental: false },
        { node: 15, os: 'ubuntu-latest', experimental: true },
      ],
    ],
  ])('%s', (_name, matrix, expected) => {
    expect(expandMatrix(matrix)).toEqual(expected);
  });
});

describe('expandMatrix: edges', () => {
  it.each<[string, ExpressionValue | undefined, ExpressionValue[]]>([
    ['no matrix', undefined, [{}]],
    ['null', null, [{}]],
    ['an empty matrix', {}, [{}]],
    ['include is processed after exclude, and can add back', { a: [1, 2], exclude: [{ a: 2 }], include: [{ a: 2 }] }, [{ a: 1 }, { a: 2 }]],
    ['an exclude naming an unknown key excludes nothing', { a: [1, 2], exclude: [{ b: 1 }] }, [{ a: 1 }, { a: 2 }]],
    ['everything excluded', { a: [1], exclude: [{ a: 1 }] }, []],
    ['object values compare by value', { n: [{ v: 1 }, { v: 2 }], exclude: [{ n: { v: 2 } }], include: [{ n: { v: 1 }, x: true }] }, [{ n: { v: 1 }, x: true }]],
    ['a later include overwrites an added value, never an original', { a: [1], include: [{ b: 1 }, { b: 2 }, { a: 1, b: 3 }] }, [{ a: 1, b: 3 }]],
    ['256 combinations are allowed', { a: Array.from({ length: 16 }, (_, i) => i), b: Array.from({ length: 16 }, (_, i) => i) }, Array.from({ length: 256 }, (_, i) => ({ a: Math.floor(i / 16), b: i % 16 }))],
  ])('%s', (_name, matrix, expected) => {
    expect(expandMatrix(matrix)).toEqual(expected);
  });

  it.each<[string, ExpressionValue, string]>([
    ['257 combinations', { a: Array.from({ length: 257 }, (_, i) => i) }, 'at most 256 jobs'],
    ['256 plus an include', { a: Array.from({ length: 256 }, (_, i) => i), include: [{ a: 'x' }] }, 'at most 256 jobs'],
    ['a huge product', { a: Array.from({ length: 1000 }, (_, i) => i), b: Array.from({ length: 1000 }, (_, i) => i) }, 'at most 256 jobs'],
    ['a scalar variable', { os: 'linux' }, "the variable 'os' must be a list"],
    ['an empty variable', { os: [] }, "the variable 'os' has no values"],
    ['a string matrix (an unevaluated expression)', '${{ fromJSON(x) }}', 'must be a mapping'],
    ['include that is not a list', { include: { a: 1 } }, 'include must be a list of mappings'],
    ['an exclude entry that is not a mapping', { a: [1], exclude: ['a'] }, 'exclude[0] must be a mapping'],
  ])('refuses %s', (_name, matrix, message) => {
    let error: unknown;
    try {
      expandMatrix(matrix);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).code).toBe('SLW_WORKFLOW_INVALID');
    expect((error as SlipwayError).message).toContain(message);
  });
});
