import { data, Evaluator } from '@actions/expressions';
import { SlipwayError } from '../errors/slipway-error.js';
import { walkExpression } from './ast-walk.js';
import { expressionError } from './expression-error.js';
import { coerceToString, fromExpressionData, toExpressionData, toJsonText } from './expression-data.js';
import { hostFunctions } from './functions.js';
import { parseExpression, type ExpressionSource } from './parse-expression.js';
import { splitTemplate, UnclosedExpressionError, type TemplateSegment } from './template.js';
import type { ExpressionContext, ExpressionLocation, ExpressionOptions, ExpressionValue } from './types.js';

/**
 * An evaluation error's message without data in it: format() quotes its format string, which may hold a secret, and
 * a JSON error quotes its input (so the cause is not kept either).
 */
function safeMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith('The following format string')) return message.slice(0, message.indexOf(':'));
  return message;
}

/** Parses and evaluates one expression of a value; the contexts the expression does not read are not converted. */
export function evaluateSource(source: ExpressionSource, context: ExpressionContext, options: ExpressionOptions): ExpressionValue {
  const names = Object.keys(context);
  const parsed = parseExpression(source, names);
  const used = new Set<string>();
  walkExpression(parsed.expr, { contextAccess: (name) => used.add(name.toLowerCase()) });
  const contexts = new data.Dictionary(
    ...names.filter((n) => used.has(n.toLowerCase())).map((key) => ({ key, value: toExpressionData(context[key]) })),
  );
  try {
    return fromExpressionData(new Evaluator(parsed.expr, contexts, hostFunctions(options)).evaluate());
  } catch (err) {
    // A host function (the runner's hashFiles) may already say precisely what went wrong.
    if (err instanceof SlipwayError) throw err;
    throw expressionError({
      problem: 'evaluation',
      message: `${safeMessage(err)}. Located within expression: ${parsed.source}`,
      text: source.text,
      offset: source.offset,
      where: source.where,
      contexts: names,
    });
  }
}

/** Splits a template, turning an unclosed `${{` into SLW_WORKFLOW_EXPRESSION. */
export function templateSegments(template: string, where: ExpressionLocation | undefined): TemplateSegment[] {
  try {
    return splitTemplate(template);
  } catch (err) {
    if (!(err instanceof UnclosedExpressionError)) throw err;
    throw expressionError({ problem: 'syntax', message: err.message, text: template, offset: err.offset, where });
  }
}

/**
 * Evaluates a bare expression (no `${{ }}`) against the contexts and returns its value. Throws SLW_WORKFLOW_EXPRESSION
 * for a syntax error, an unknown function or context name, or a failed evaluation.
 */
export function evaluateExpression(expression: string, context: ExpressionContext, options: ExpressionOptions = {}): ExpressionValue {
  return evaluateSource({ expression, text: expression, offset: 0, where: options.where }, context, options);
}

/**
 * Replaces every `${{ … }}` in a string with its value coerced to a string the GitHub way: null is '', numbers print as
 * GitHub prints them, and an array or object inside other text prints as `Array` or `Object` (as on GitHub). A string
 * that is one expression and nothing else gives that expression's value; an array or object there is written as JSON,
 * as toJSON() writes it, since an environment variable or script needs text.
 */
export function interpolate(template: string, context: ExpressionContext, options: ExpressionOptions = {}): string {
  if (!template.includes('${{')) return template;
  const segments = templateSegments(template, options.where);
  const parts = segments.map((segment) => {
    if (segment.kind === 'text') return segment.text;
    const value = evaluateSource({ ...segment, text: template, where: options.where }, context, options);
    return segments.length === 1 && value !== null && typeof value === 'object' ? toJsonText(value) : coerceToString(value);
  });
  return parts.join('');
}

/** The location of a nested value: its path grows, and the line and column of the outer value no longer apply. */
function nested(options: ExpressionOptions, key: string | number): ExpressionOptions {
  if (!options.where) return options;
  const base = options.where.path ?? '';
  const path = typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;
  return { ...options, where: { file: options.where.file, path } };
}

/**
 * Evaluates a value from a workflow deeply. A string that is exactly one `${{ expr }}` keeps the expression's type
 * (`${{ fromJSON(…) }}` in strategy.matrix or with:); other strings are interpolated; arrays and objects are evaluated
 * item by item, keys too. Numbers, booleans and null stay as they are.
 */
export function evaluateValue(value: unknown, context: ExpressionContext, options: ExpressionOptions = {}): ExpressionValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    const [only, ...rest] = templateSegments(value, options.where);
    if (only?.kind === 'expression' && rest.length === 0) return evaluateSource({ ...only, text: value, where: options.where }, context, options);
    return interpolate(value, context, options);
  }
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item, i) => evaluateValue(item, context, nested(options, i)));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [interpolate(key, context, options), evaluateValue(item, context, nested(options, key))]),
    );
  }
  return String(value);
}
