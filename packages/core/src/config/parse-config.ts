import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SlipwayError } from '../errors/slipway-error.js';
import { locate } from './locate.js';
import { slipwayConfigSchema, type SlipwayConfig } from './schema.js';
import { checkReferences } from './references.js';

export interface ParseResult<T> {
  value?: T;
  /** Every problem found, in source order. Empty when `value` is set. */
  errors: SlipwayError[];
}

/**
 * Parses YAML text against a zod schema and reports every problem with file:line:col.
 * Pure: the caller reads the file.
 */
export function parseYamlWithSchema<S extends z.ZodType>(text: string, file: string, schema: S): ParseResult<z.output<S>> & { locateAt: (path: readonly PropertyKey[], preferKey?: boolean) => { file: string; line: number; col: number } } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locateAt = (path: readonly PropertyKey[], preferKey = false) => locate(doc, lines, file, path, preferKey);
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return new SlipwayError('SLW_CONFIG_YAML', e.message.split('\n')[0] ?? e.message, { position: { file, line: pos.line, col: pos.col } });
    });
    return { errors, locateAt };
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return { value: result.data, errors: [], locateAt };
  const errors: SlipwayError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        errors.push(
          new SlipwayError('SLW_CONFIG_UNKNOWN_KEY', `unknown key "${key}" at ${formatPath(path) || 'the top level'}`, {
            position: locateAt(keyPath, true),
            path: formatPath(keyPath),
            hint: `Remove "${key}" or fix its spelling. Valid keys here: ${validKeys(schema, path).join(', ') || 'see docs/reference/config.md'}.`,
          }),
        );
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    errors.push(
      new SlipwayError('SLW_CONFIG_INVALID', `${formatPath(path) || 'document'}: ${missing ? 'is required' : issue.message}`, {
        position: locateAt(missing ? path.slice(0, -1) : path, missing),
        path: formatPath(path),
        hint: missing ? `Add "${String(path.at(-1))}".` : hintFor(issue),
      }),
    );
  }
  return { errors: sortByPosition(errors), locateAt };
}

/** Parses and validates `slipway.yaml` text, including references between services and environments. */
export function parseConfig(text: string, file = 'slipway.yaml'): ParseResult<SlipwayConfig> {
  const parsed = parseYamlWithSchema(text, file, slipwayConfigSchema);
  if (!parsed.value) return { errors: parsed.errors };
  const errors = checkReferences(parsed.value, parsed.locateAt);
  return errors.length > 0 ? { errors: sortByPosition(errors) } : { value: parsed.value, errors: [] };
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function hintFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `Use a value of type ${issue.expected}.`;
  if (issue.code === 'invalid_value') return `Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'Use a value within the allowed range.';
  return 'See docs/reference/config.md for the allowed values.';
}

function sortByPosition(errors: SlipwayError[]): SlipwayError[] {
  return errors.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0));
}

/** Lists the keys an object schema accepts at a path, for "did you mean" hints. */
function validKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    let x = s as { def?: { type?: string; innerType?: unknown; in?: unknown; valueType?: unknown; shape?: unknown } };
    while (x?.def && ['default', 'optional', 'pipe', 'nullable'].includes(x.def.type ?? '')) {
      x = (x.def.innerType ?? x.def.in) as typeof x;
    }
    return x;
  };
  for (const segment of path) {
    const s = unwrap(current) as { def?: { type?: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown } };
    if (s?.def?.type === 'object') current = s.def.shape?.[String(segment)];
    else if (s?.def?.type === 'record') current = s.def.valueType;
    else if (s?.def?.type === 'array') current = s.def.element;
    else return [];
  }
  const s = unwrap(current) as { def?: { type?: string; shape?: Record<string, unknown> } };
  return s?.def?.type === 'object' ? Object.keys(s.def.shape ?? {}) : [];
}
