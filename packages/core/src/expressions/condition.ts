import { walkExpression } from './ast-walk.js';
import { evaluateSource, interpolate, templateSegments } from './evaluate.js';
import { isTruthy } from './expression-data.js';
import { statusFunctionNames } from './functions.js';
import { parseExpression, type ExpressionSource } from './parse-expression.js';
import type { ExpressionContext, ExpressionOptions } from './types.js';

const statusFunctions = new Set<string>(statusFunctionNames);

/** Whether an expression calls success(), failure(), always() or cancelled(). Parsing first also reports syntax errors. */
function callsStatusFunction(source: ExpressionSource, context: ExpressionContext): boolean {
  let found = false;
  const { expr } = parseExpression(source, Object.keys(context));
  walkExpression(expr, { functionCall: (name) => (found ||= statusFunctions.has(name.toLowerCase())) });
  return found;
}

/**
 * Evaluates an `if:` condition as GitHub does. No condition means success(). `${{ }}` around the whole condition is
 * optional. A condition that calls none of success(), failure(), always() and cancelled() is `success() && (condition)`,
 * so it is false once something failed, and it is not evaluated then. The result is coerced to a boolean: null, false,
 * 0, NaN and '' are false. A condition with text outside its `${{ }}` (`${{ a }} && b`) is a string, as on GitHub, so it
 * is true unless it comes out empty.
 */
export function evaluateCondition(condition: string | boolean | undefined, context: ExpressionContext, options: ExpressionOptions = {}): boolean {
  const success = () => options.status?.success() ?? true;
  if (typeof condition === 'boolean') return success() && condition;
  const text = condition?.trim() ?? '';
  if (text === '') return success();
  const { where } = options;

  const sources: ExpressionSource[] = [];
  let template = false;
  if (text.includes('${{')) {
    const segments = templateSegments(text, where);
    for (const segment of segments) if (segment.kind === 'expression') sources.push({ ...segment, text, where });
    template = segments.length > 1 || segments[0]?.kind === 'text';
  } else {
    sources.push({ expression: text, text, offset: 0, where });
  }

  const implicit = !sources.map((s) => callsStatusFunction(s, context)).some(Boolean);
  if (implicit && !success()) return false;
  if (template) return interpolate(text, context, options) !== '';
  return isTruthy(evaluateSource(sources[0]!, context, options));
}
