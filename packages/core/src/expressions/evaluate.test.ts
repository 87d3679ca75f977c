import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../errors/slipway-error.js';
import { evaluateExpression, evaluateValue, interpolate } from './evaluate.js';
import type { ExpressionContext } from './types.js';

const context: ExpressionContext = {
  github: { ref: 'refs/heads/main', event: { commits: [{ id: 'a' }, { id: 'b' }] }, run_number: 7 },
  env: { NAME: 'world', EMPTY: '' },
  matrix: { os: 'linux', node: 20, list: [1, 2], config: { debug: true } },
  secrets: { TOKEN: 's3cret' },
};

function errorOf(run: () => unknown): SlipwayError {
  try {
    run();
  } catch (err) {
    if (err instanceof SlipwayError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('evaluateExpression', () => {
  it.each([
    ['github.ref', 'refs/heads/main'],
    ["github['REF']", 'refs/heads/main'],
    ['github.event.commits.*.id', ['a', 'b']],
    ['github.missing', null],
    ['matrix.node >= 18', true],
    ["startsWith(github.ref, 'refs/heads/')", true],
    ["format('{0}-{1}', matrix.os, matrix.node)", 'linux-20'],
    ["fromJSON('{\"a\":[1]}')", { a: [1] }],
    ['toJSON(matrix.list)', '[\n  1,\n  2\n]'],
    ["case(matrix.os == 'linux', 'penguin', 'other')", 'penguin'],
    ['success() && !failure() && !cancelled() && always()', true],
  ])('%s', (expression, expected) => {
    expect(evaluateExpression(expression, context)).toEqual(expected);
  });

  it('uses the status functions it is given', () => {
    const status = { success: () => false, failure: () => true, cancelled: () => false };
    expect(evaluateExpression('failure() && !success()', {}, { status })).toBe(true);
  });

  it('calls the hashFiles of the runner with the patterns as strings', () => {
    const seen: string[][] = [];
    const hashFiles = (patterns: string[]) => (seen.push(patterns), 'abc123');
    expect(evaluateExpression("hashFiles('**/package-lock.json', 1)", {}, { hashFiles })).toBe('abc123');
    expect(seen).toEqual([['**/package-lock.json', '1']]);
  });

  it.each([
    ['hashFiles without a runner', "hashFiles('x')", {}, 'hashFiles() is not available here', undefined],
    ['an unknown context', 'nope.x', context, "Unrecognized named-value: 'nope'", 'The contexts available here are github, env, matrix, secrets.'],
    ['an unknown function', 'nope()', {}, "Unrecognized function: 'nope'", 'The functions are contains, startsWith'],
    ['a syntax error', 'github.ref ==', context, 'Unexpected end of expression', 'strings use single quotes'],
    ['double quotes', '"x"', {}, 'Unexpected symbol', 'strings use single quotes'],
    ['an empty expression', '  ', {}, 'An expression was expected', undefined],
    ['a failed evaluation', "fromJSON('{')", {}, 'Error parsing JSON when evaluating fromJson', undefined],
    ['an invalid literal format string', "format('{x}', 1)", {}, "Invalid format string: '{x}'", undefined],
  ])('fails with SLW_WORKFLOW_EXPRESSION on %s', (_name, expression, ctx, message, hint) => {
    const error = errorOf(() => evaluateExpression(expression, ctx as ExpressionContext));
    expect(error.code).toBe('SLW_WORKFLOW_EXPRESSION');
    expect(error.message).toContain(message);
    if (hint) expect(error.hint).toContain(hint);
  });

  it('keeps data out of the message of a failed format()', () => {
    const error = errorOf(() => evaluateExpression('format(secrets.TOKEN)', { secrets: { TOKEN: '{s3cret' } }));
    expect(error.message).not.toContain('s3cret');
    expect(error.cause).toBeUndefined();
  });
});

describe('interpolate', () => {
  it.each([
    ['no expression', 'plain ${ text }', 'plain ${ text }'],
    ['one in text', 'Hello ${{ env.NAME }}!', 'Hello world!'],
    ['several', '${{ matrix.os }}-${{ matrix.node }}', 'linux-20'],
    ['null as empty', '[${{ github.missing }}]', '[]'],
    ['booleans', '${{ matrix.config.debug }} ${{ !matrix.config.debug }}', 'true false'],
    ['numbers as GitHub prints them', '${{ 0.10 }} ${{ 1.50 }} ${{ 0xff }} ${{ 0.84551240822557006 }}', '0.1 1.5 255 0.84551240822557'],
    ['an object inside text', 'cfg=${{ matrix.config }}', 'cfg=Object'],
    ['an array inside text', 'list=${{ matrix.list }}', 'list=Array'],
    ['a whole-value object as JSON', '${{ matrix.config }}', '{\n  "debug": true\n}'],
    ['a whole-value array as JSON', '${{ matrix.list }}', '[\n  1,\n  2\n]'],
    ["}} inside a string literal", "${{ format('{{{0}}}', 'x') }}", '{x}'],
    ["a quote escape", "${{ 'it''s' }}", "it's"],
  ])('%s', (_name, template, expected) => {
    expect(interpolate(template, context)).toBe(expected);
  });

  it('reports an unclosed ${{ with its position on the line', () => {
    const error = errorOf(() => interpolate('echo ${{ env.NAME', context, { where: { file: 'ci.yml', line: 4, col: 12 } }));
    expect(error.message).toContain('The expression is not closed');
    expect(error.position).toEqual({ file: 'ci.yml', line: 4, col: 17 });
  });

  it.each([
    ['on the first line', 'echo ${{ nope }}', { line: 3, col: 10 }, { line: 3, col: 19 }],
    ['on a later line of a block', 'echo hi\n  echo ${{ nope }}', { line: 3, col: 10 }, { line: 4, col: 12 }],
  ])('points at the error %s', (_name, template, at, expected) => {
    const error = errorOf(() => interpolate(template, context, { where: { file: 'ci.yml', path: 'jobs.a.steps[0].run', ...at } }));
    expect(error.position).toEqual({ file: 'ci.yml', ...expected });
    expect(error.path).toBe('jobs.a.steps[0].run');
    expect(error.format()).toMatch(/^ci\.yml:\d+:\d+: SLW_WORKFLOW_EXPRESSION Unrecognized named-value: 'nope'/);
  });

  it('names the file when there is no line', () => {
    const error = errorOf(() => interpolate('${{ nope }}', {}, { where: { file: 'ci.yml' } }));
    expect(error.message).toMatch(/^ci\.yml: Unrecognized named-value/);
  });
});

describe('evaluateValue', () => {
  it.each([
    ['a sole expression keeps its type', '${{ fromJSON(\'[1, "a"]\') }}', [1, 'a']],
    ['a sole number', '${{ matrix.node }}', 20],
    ['a sole null', '${{ github.missing }}', null],
    ['text around makes a string', ' ${{ matrix.node }}', ' 20'],
    ['two expressions make a string', '${{ matrix.node }}${{ matrix.node }}', '2020'],
    ['a plain string', 'hello', 'hello'],
    ['numbers, booleans and null stay', [1, true, null], [1, true, null]],
    ['undefined is null', undefined, null],
    [
      'objects deeply, keys too',
      { 'k-${{ matrix.os }}': { list: '${{ matrix.list }}', s: 'v${{ matrix.node }}' }, n: 1 },
      { 'k-linux': { list: [1, 2], s: 'v20' }, n: 1 },
    ],
  ])('%s', (_name, value, expected) => {
    expect(evaluateValue(value, context)).toEqual(expected);
  });

  it('names the path of a nested value in errors', () => {
    const error = errorOf(() => evaluateValue({ with: { token: ['${{ nope }}'] } }, {}, { where: { file: 'ci.yml', line: 9, col: 3, path: 'jobs.a' } }));
    expect(error.path).toBe('jobs.a.with.token[0]');
    expect(error.position).toBeUndefined();
  });
});
