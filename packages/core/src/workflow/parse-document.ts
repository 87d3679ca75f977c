import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { locate } from '../config/locate.js';
import { formatPath, type ParseResult } from '../config/parse-config.js';
import { SlipwayError } from '../errors/slipway-error.js';
import { problemsFromIssues, type Problem } from './problems.js';

/**
 * Parses YAML text against a schema, runs `check` over the raw document too (so that graph problems show up next to
 * schema problems), and reports every problem as SLW_WORKFLOW_INVALID with file:line:col, in source order. Problems
 * without a hint of their own get `defaultHint`, else the catalog's.
 * Broken YAML keeps SLW_CONFIG_YAML: the fix is in the syntax, not in the meaning. Pure: the caller reads the file.
 */
export function parseDocumentWith<T>(
  text: string,
  file: string,
  schema: z.ZodType<T, unknown>,
  options: { check?: (input: unknown) => Problem[]; defaultHint?: string } = {},
): ParseResult<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return new SlipwayError('SLW_CONFIG_YAML', e.message.split('\n')[0] ?? e.message, { position: { file, line: pos.line, col: pos.col } });
      }),
    };
  }
  const input: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(input, { reportInput: true });
  const problems = [...(result.success ? [] : problemsFromIssues(result.error.issues)), ...(options.check?.(input) ?? [])];
  if (problems.length === 0 && result.success) return { value: result.data, errors: [] };
  const seen = new Set<string>();
  const errors = problems
    .map((p) => new SlipwayError('SLW_WORKFLOW_INVALID', p.message, { position: locate(doc, lines, file, p.path, p.atKey), path: formatPath(p.path), hint: p.hint ?? options.defaultHint }))
    .filter((e) => !seen.has(e.format()) && Boolean(seen.add(e.format())));
  return { errors: errors.sort((a, b) => a.position!.line - b.position!.line || a.position!.col - b.position!.col) };
}
