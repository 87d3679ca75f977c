import { SlipwayError } from '../errors/slipway-error.js';
import type { ExpressionValue } from '../expressions/types.js';

type Combination = Record<string, ExpressionValue>;

/** GitHub's limit on the jobs one matrix may generate. */
const maxMatrixCombinations = 256;
/** Excludes can only thin out a product this large so far; beyond it the matrix is refused before it is built. */
const maxProduct = 65_536;

const invalid = (message: string) => new SlipwayError('SLW_WORKFLOW_INVALID', `strategy.matrix: ${message}`);

const isObject = (value: ExpressionValue | undefined): value is Combination =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/** JSON equality: matrix values may be objects (`node: [{ version: 20 }]`). */
function equal(a: ExpressionValue | undefined, b: ExpressionValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** Whether every key of `partial` is in `combination` with an equal value. */
const matches = (combination: Combination, partial: Combination) =>
  Object.entries(partial).every(([key, value]) => Object.hasOwn(combination, key) && equal(combination[key], value));

function objectsOf(value: ExpressionValue | undefined, name: 'include' | 'exclude'): Combination[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${name} must be a list of mappings`);
  return value.map((item, i) => {
    if (!isObject(item)) throw invalid(`${name}[${i}] must be a mapping`);
    return item;
  });
}

/** Copies that keep a `__proto__` key an ordinary key. */
const copy = (entries: [string, ExpressionValue][]): Combination => Object.fromEntries(entries);

/**
 * Expands `strategy.matrix` (already evaluated) into one combination per job, with GitHub's documented semantics:
 *
 * - every key other than include and exclude is a vector (a non-empty list); the combinations are their product, the
 *   first key varying slowest, as GitHub orders the jobs;
 * - an exclude entry removes every combination it matches, even partially (only the keys it names are compared);
 * - then each include entry, in order, is merged into every original combination whose original values it does not
 *   change (values added by earlier includes may be overwritten); when it fits none, it becomes a combination of its own.
 *   Includes never merge into combinations that other includes added.
 *
 * No matrix, or one without vectors and includes, gives one empty combination (the job runs once). More than 256
 * combinations, or a malformed matrix, is SLW_WORKFLOW_INVALID.
 */
export function expandMatrix(matrix: ExpressionValue | undefined): Record<string, ExpressionValue>[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (!isObject(matrix)) throw invalid('must be a mapping of variables to lists of values, or an expression that gives one');
  const { include, exclude, ...rest } = matrix;
  const includes = objectsOf(include, 'include');
  const excludes = objectsOf(exclude, 'exclude');

  const vectors = Object.entries(rest).map(([key, values]) => {
    if (!Array.isArray(values)) throw invalid(`the variable '${key}' must be a list of values`);
    if (values.length === 0) throw invalid(`the variable '${key}' has no values`);
    return [key, values] as const;
  });
  const product = vectors.reduce((n, [, values]) => n * values.length, 1);
  if (product > maxProduct) throw invalid(`the variables make ${product} combinations; GitHub allows at most ${maxMatrixCombinations} jobs per matrix`);

  // The product, first key slowest; with no vectors it is one empty combination, or none when includes follow.
  let originals: Combination[] = vectors.length === 0 && includes.length > 0 ? [] : [{}];
  for (const [key, values] of vectors) originals = originals.flatMap((c) => values.map((v) => copy([...Object.entries(c), [key, v]])));
  originals = originals.filter((c) => !excludes.some((e) => matches(c, e)));

  const expanded = originals.map((c) => ({ original: c, values: copy(Object.entries(c)) }));
  const added: Combination[] = [];
  for (const entry of includes) {
    let fitted = false;
    for (const combination of expanded) {
      const fits = Object.entries(entry).every(([key, value]) => !Object.hasOwn(combination.original, key) || equal(combination.original[key], value));
      if (!fits) continue;
      fitted = true;
      combination.values = copy([...Object.entries(combination.values), ...Object.entries(entry)]);
    }
    if (!fitted) added.push(copy(Object.entries(entry)));
  }

  const combinations = [...expanded.map((c) => c.values), ...added];
  if (combinations.length > maxMatrixCombinations) {
    throw invalid(`it makes ${combinations.length} combinations; GitHub allows at most ${maxMatrixCombinations} jobs per matrix`);
  }
  return combinations;
}
