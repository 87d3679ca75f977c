import { z } from 'zod';
import { asRecord, dispatched, type Report } from './checked-schema.js';
import { booleanOrExpression, expressionString, hasExpression, positiveNumberOrExpression, strictObject } from './schema-primitives.js';

/**
 * `strategy.matrix`: variables to lists of values, with `include` and `exclude` lists of combinations; or one
 * expression that yields such a map. Values are kept as written: the matrix is expanded when the run starts.
 */
type WorkflowMatrix = string | Record<string, unknown>;

const isExpression = (v: unknown) => typeof v === 'string' && hasExpression(v);

function checkMatrix(matrix: Record<string, unknown>, report: Report): void {
  const variables = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
  for (const key of variables) {
    const values = matrix[key];
    if (isExpression(values)) continue;
    if (!Array.isArray(values)) report([key], 'expected a list of values or an expression ${{ … }}');
    else if (values.length === 0) report([key], `matrix variable "${key}" has no values`, { hint: 'List at least one value, or remove the variable.' });
  }
  for (const key of ['include', 'exclude'] as const) {
    const list = matrix[key];
    if (list === undefined || isExpression(list)) continue;
    if (!Array.isArray(list)) {
      report([key], `expected a list of combinations (maps) or an expression \${{ … }}`);
      continue;
    }
    list.forEach((entry, i) => {
      const combination = asRecord(entry);
      if (!combination) return report([key, i], 'expected a map of matrix variables to values');
      // GitHub refuses an exclude that names no variable of the matrix: it could never remove anything.
      if (key !== 'exclude') return;
      for (const name of Object.keys(combination)) {
        if (!variables.includes(name)) report([key, i, name], `"${name}" is not a variable of the matrix`, { atKey: true, hint: `Variables: ${variables.join(', ') || 'none'}.` });
      }
    });
  }
  if (variables.length === 0 && matrix.include === undefined) report([], 'a matrix needs at least one variable or an "include" list');
}

const matrixSchema = dispatched<WorkflowMatrix>((raw, report) => {
  if (typeof raw === 'string') return expressionString('a map of variables');
  const matrix = asRecord(raw);
  if (matrix) checkMatrix(matrix, report);
  return z.record(z.string(), z.unknown(), { error: 'expected a map of variables to lists of values, or an expression ${{ … }}' });
}).describe('Variables and their values; the job runs once per combination. Also include and exclude lists of combinations.');

/** `strategy:` the job matrix and how its jobs run. */
export const strategySchema = strictObject({
  matrix: matrixSchema.optional(),
  'fail-fast': booleanOrExpression.optional().describe('Cancel the other jobs of the matrix when one fails. Default: true.'),
  'max-parallel': positiveNumberOrExpression.optional().describe('The most jobs of the matrix that run at the same time.'),
}).describe('Run the job once per combination of a matrix.');

