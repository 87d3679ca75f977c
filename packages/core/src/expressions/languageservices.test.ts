import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../errors/slipway-error.js';
import { evaluateExpression } from './evaluate.js';
import type { ExpressionContext, ExpressionValue } from './types.js';

/**
 * GitHub's cross-language expression test vectors (actions/languageservices, expressions/testdata), run through our
 * API. Each file maps a group name to cases: `expr`, optional `contexts` (which are also the only context names the
 * expression may use), and either `result` ({ kind, value }) or `err` ({ kind: lexing | parsing | evaluation, value }),
 * where value is a substring of the expected message. See testdata/languageservices/README.md.
 */
interface TestCase {
  expr: string;
  contexts?: ExpressionContext;
  result?: { kind: string; value: ExpressionValue };
  err?: { kind: 'lexing' | 'parsing' | 'evaluation'; value: string };
  options?: { skip?: string[] };
}

const dir = join(import.meta.dirname, 'testdata/languageservices');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function kindOf(value: ExpressionValue): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  return { boolean: 'Boolean', number: 'Number', string: 'String', object: 'Object' }[typeof value as 'boolean' | 'number' | 'string' | 'object'];
}

const cases = files.flatMap((file) =>
  Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, TestCase[]>).flatMap(([group, list]) =>
    list.filter((c) => !c.options?.skip?.includes('typescript')).map((c, i) => ({ file, group, i, ...c })),
  ),
);

describe('actions/languageservices expression test vectors', () => {
  it('has all 14 files and every case', () => {
    expect(files).toHaveLength(14);
    expect(cases).toHaveLength(485);
  });

  it.each(cases)('$file $group #$i: $expr', (c) => {
    const run = () => evaluateExpression(c.expr, c.contexts ?? {});
    if (c.err) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SlipwayError);
      expect((error as SlipwayError).code).toBe('SLW_WORKFLOW_EXPRESSION');
      expect((error as SlipwayError).message).toContain(c.err.value);
      return;
    }
    const value = run();
    expect(kindOf(value)).toBe(c.result!.kind);
    expect(JSON.stringify(value)).toBe(JSON.stringify(c.result!.value));
  });
});
