import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './condition.js';
import type { ExpressionContext, ExpressionStatus } from './types.js';

const context: ExpressionContext = { github: { ref: 'refs/heads/main', event_name: 'push' }, env: { FLAG: 'false' } };
const ok: ExpressionStatus = { success: () => true, failure: () => false, cancelled: () => false };
const failed: ExpressionStatus = { success: () => false, failure: () => true, cancelled: () => false };
const cancelled: ExpressionStatus = { success: () => false, failure: () => false, cancelled: () => true };

describe('evaluateCondition', () => {
  it.each([
    // [condition, after success, after a failure, after cancellation]
    [undefined, true, false, false],
    ['', true, false, false],
    [true, true, false, false],
    [false, false, false, false],
    ["github.ref == 'refs/heads/main'", true, false, false],
    ["${{ github.ref == 'refs/heads/main' }}", true, false, false],
    ["  ${{ github.event_name != 'push' }}  ", false, false, false],
    ['always()', true, true, true],
    ['${{ always() }}', true, true, true],
    ['failure()', false, true, false],
    ['cancelled()', false, false, true],
    ['success() || failure()', true, true, false],
    ["!cancelled() && github.ref == 'refs/heads/main'", true, true, false],
    ['ALWAYS()', true, true, true],
    // GitHub's truthiness: 'false' is a non-empty string.
    ['env.FLAG', true, false, false],
    ['${{ 0 }}', false, false, false],
    ['${{ null }}', false, false, false],
    // Text outside ${{ }} makes a string, which is truthy unless empty.
    ["${{ github.event_name == 'pull_request' }} && true", true, false, false],
    ['${{ failure() }} x', true, true, true],
  ] as const)('%s', (condition, afterSuccess, afterFailure, afterCancel) => {
    expect(evaluateCondition(condition, context, { status: ok })).toBe(afterSuccess);
    expect(evaluateCondition(condition, context, { status: failed })).toBe(afterFailure);
    expect(evaluateCondition(condition, context, { status: cancelled })).toBe(afterCancel);
  });

  it('treats no status as success', () => {
    expect(evaluateCondition("github.ref == 'refs/heads/main'", context)).toBe(true);
    expect(evaluateCondition('failure()', context)).toBe(false);
  });

  it('does not evaluate an implicit-success condition after a failure, but still reports a syntax error', () => {
    expect(evaluateCondition("fromJSON('{')", context, { status: failed })).toBe(false);
    expect(() => evaluateCondition('github.ref ==', context, { status: failed })).toThrow(/Unexpected end of expression/);
  });
});
