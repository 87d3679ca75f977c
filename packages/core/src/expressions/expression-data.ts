import { data } from '@actions/expressions';
import type { ExpressionValue } from './types.js';

/**
 * Converts plain JSON data to @actions/expressions' data model. Its dictionaries look keys up case-insensitively, which
 * is how GitHub resolves `github.REF` and `env.home`.
 */
export function toExpressionData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'string') return new data.StringData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toExpressionData));
  if (typeof value === 'object') {
    return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toExpressionData(v) })));
  }
  // bigint, symbol, function: not JSON; GitHub would have a string here.
  return new data.StringData(String(value));
}

/** Converts @actions/expressions' data model back to plain JSON data. */
export function fromExpressionData(value: data.ExpressionData): ExpressionValue {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
    case data.Kind.Number:
    case data.Kind.String:
      return (value as data.BooleanData | data.NumberData | data.StringData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromExpressionData);
    default:
      // Object.fromEntries defines own properties, so a `__proto__` key from an event payload stays a plain key.
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, fromExpressionData(p.value)]));
  }
}

/** GitHub's truthiness: null, false, 0, NaN and '' are false; everything else, arrays and objects included, is true. */
export function isTruthy(value: ExpressionValue): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/**
 * A value as it appears inside a string: `a ${{ x }} b` is GitHub's `format('a {0} b', x)`, so null is '', numbers print
 * with at most 15 significant digits, and arrays and objects print as `Array` and `Object` (GitHub's own output).
 */
export function coerceToString(value: ExpressionValue): string {
  return toExpressionData(value).coerceString();
}

/** The pretty JSON of toJSON(): two-space indentation, as GitHub prints it. */
export function toJsonText(value: ExpressionValue): string {
  return JSON.stringify(value, null, 2);
}
