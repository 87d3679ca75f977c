import { SlipwayError, type SourcePosition } from '../errors/slipway-error.js';
import { functionNames } from './functions.js';
import type { ExpressionLocation } from './types.js';

/** What went wrong, which decides the hint. */
export type ExpressionProblem = 'syntax' | 'unknown-context' | 'unknown-function' | 'evaluation';

export interface ExpressionErrorInput {
  problem: ExpressionProblem;
  /** The message, already naming the expression. */
  message: string;
  /** The whole value the expression came from (a template, or the bare expression). */
  text: string;
  /** Offset into `text` where the problem is. */
  offset: number;
  where?: ExpressionLocation;
  /** The context names available, for the hint of an unknown one. */
  contexts?: string[];
}

const hints: Record<Exclude<ExpressionProblem, 'unknown-context'>, string> = {
  syntax:
    "Check the expression syntax: strings use single quotes ('it''s'), the operators are ! == != < <= > >= && ||, and properties are read as a.b or a['b'].",
  'unknown-function': `The functions are ${functionNames.join(', ')}.`,
  evaluation: 'Fix the expression, or the value it reads, at the position shown.',
};

/**
 * The position of `offset` in the source file: the value starts at where.line:where.col, so an offset on the value's
 * first line adds to the column, and one on a later line counts lines. A block scalar (`run: |`) loses its indentation
 * in YAML, so there the column is the column within the value's line.
 */
function positionOf(where: ExpressionLocation | undefined, text: string, offset: number): SourcePosition | undefined {
  if (!where?.line) return undefined;
  const before = text.slice(0, offset);
  const newlines = before.split('\n').length - 1;
  if (newlines === 0) return { file: where.file, line: where.line, col: (where.col ?? 1) + offset };
  return { file: where.file, line: where.line + newlines, col: offset - before.lastIndexOf('\n') };
}

/** The one way an expression fails: SLW_WORKFLOW_EXPRESSION, with the position in the file and a hint with the fix. */
export function expressionError(input: ExpressionErrorInput): SlipwayError {
  const position = positionOf(input.where, input.text, input.offset);
  const hint =
    input.problem === 'unknown-context'
      ? `The contexts available here are ${input.contexts?.length ? input.contexts.join(', ') : '(none)'}.`
      : hints[input.problem];
  // Without a line the file still belongs in the message, since format() prints a position only when it has one.
  const message = !position && input.where ? `${input.where.file}: ${input.message}` : input.message;
  return new SlipwayError('SLW_WORKFLOW_EXPRESSION', message, {
    hint,
    ...(position ? { position } : {}),
    ...(input.where?.path ? { path: input.where.path } : {}),
  });
}
