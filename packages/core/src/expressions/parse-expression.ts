import { Lexer, Parser, type Expr } from '@actions/expressions';
import type { SlipwayError } from '../errors/slipway-error.js';
import { literalString, walkExpression } from './ast-walk.js';
import { expressionError, type ExpressionProblem } from './expression-error.js';
import { formatStringProblem } from './format-check.js';
import { hostFunctionInfo } from './functions.js';
import type { ExpressionLocation } from './types.js';

/** GitHub's limit on the length of one expression. */
const maxExpressionLength = 21_000;

/** An expression to parse, and where it sits: in `text` (a template or the bare expression) at `offset`. */
export interface ExpressionSource {
  expression: string;
  text: string;
  offset: number;
  where?: ExpressionLocation;
}

/** A parsed expression and its trimmed text, which error messages quote. */
export interface ParsedExpression {
  expr: Expr;
  source: string;
}

/** Where a 0-based line and column of the expression fall in it, as an index. */
function indexOf(expression: string, line: number, column: number): number {
  const lines = expression.split('\n');
  return lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + column;
}

function classify(message: string): ExpressionProblem {
  if (message.startsWith('Unrecognized named-value')) return 'unknown-context';
  if (message.startsWith('Unrecognized function')) return 'unknown-function';
  return 'syntax';
}

/**
 * Lexes and parses an expression with @actions/expressions, accepting the given context names and the host functions,
 * and checks literal format() strings as GitHub does at parse time. Every failure is SLW_WORKFLOW_EXPRESSION, with
 * GitHub's message ("… Located at position N within expression: …") and the position in the file.
 */
export function parseExpression(source: ExpressionSource, contexts: string[]): ParsedExpression {
  const trimmed = source.expression.trim();
  const start = source.offset + source.expression.indexOf(trimmed);
  const fail = (problem: ExpressionProblem, message: string, index: number): SlipwayError =>
    expressionError({ problem, message, text: source.text, offset: start + index, where: source.where, contexts });
  const located = (message: string, index: number) => `${message}. Located at position ${index + 1} within expression: ${trimmed}`;

  if (trimmed === '') throw fail('syntax', 'An expression was expected', 0);
  if (trimmed.length > maxExpressionLength) throw fail('syntax', `Exceeded max expression length ${maxExpressionLength}`, 0);

  let tokens;
  try {
    tokens = new Lexer(trimmed).lex().tokens;
  } catch (err) {
    // The lexer's message already says where; its position is on the first line of the expression.
    const message = err instanceof Error ? err.message : String(err);
    const column = Number(/Located at position (\d+)/.exec(message)?.[1] ?? 1) - 1;
    throw fail('syntax', message, column);
  }

  let expr: Expr;
  try {
    expr = new Parser(tokens, contexts, hostFunctionInfo).parse();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = (err as { pos?: { line: number; column: number } }).pos;
    const index = pos ? indexOf(trimmed, pos.line, pos.column) : 0;
    throw fail(classify(message), pos ? located(message, pos.column) : message, index);
  }
  // parse() returns undefined for an expression of only whitespace, which the check above already refused.
  if (!expr) throw fail('syntax', 'An expression was expected', 0);

  walkExpression(expr, {
    functionCall(name, node) {
      if (name.toLowerCase() !== 'format' || node.args.length === 0) return;
      const format = literalString(node.args[0]!);
      const problem = format === undefined ? undefined : formatStringProblem(format, node.args.length - 1);
      const { line, column } = node.functionName.range.start;
      if (problem) throw fail('syntax', located(problem, column), indexOf(trimmed, line, column));
    },
  });
  return { expr, source: trimmed };
}
