import { describe, expect, it } from 'vitest';
import { containsExpression, splitTemplate, UnclosedExpressionError } from './template.js';

describe('splitTemplate', () => {
  it.each([
    ['', []],
    ['text', [{ kind: 'text', text: 'text' }]],
    ['${{ a }}', [{ kind: 'expression', expression: ' a ', offset: 3 }]],
    [
      'x ${{ a }} y ${{b}}',
      [
        { kind: 'text', text: 'x ' },
        { kind: 'expression', expression: ' a ', offset: 5 },
        { kind: 'text', text: ' y ' },
        { kind: 'expression', expression: 'b', offset: 16 },
      ],
    ],
    ["${{ '}}' }}", [{ kind: 'expression', expression: " '}}' ", offset: 3 }]],
    ["${{ 'a''}}' }}!", [{ kind: 'expression', expression: " 'a''}}' ", offset: 3 }, { kind: 'text', text: '!' }]],
    ['${{}}', [{ kind: 'expression', expression: '', offset: 3 }]],
  ])('%j', (text, segments) => {
    expect(splitTemplate(text)).toEqual(segments);
  });

  it.each([['${{ a'], ["${{ 'a }}"], ['ok ${{ a }} ${{ b }']])('refuses the unclosed %j', (text) => {
    expect(() => splitTemplate(text)).toThrow(UnclosedExpressionError);
  });
});

describe('containsExpression', () => {
  it.each([
    ['${{ a }}', true],
    ['echo ${{', true],
    ['${ a }', false],
    ['{{ a }}', false],
  ])('%j → %s', (text, expected) => {
    expect(containsExpression(text)).toBe(expected);
  });
});
