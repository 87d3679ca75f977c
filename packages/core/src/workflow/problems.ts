import type { z } from 'zod';
import { formatPath } from '../config/parse-config.js';
import { closest, didYouMean } from './did-you-mean.js';
import { validKeysPrefix } from './schema-primitives.js';

/** One problem in a document, before it is positioned: where (a key path), what, and how to fix it. */
export interface Problem {
  path: PropertyKey[];
  /** The full message, starting with the key path it is about. */
  message: string;
  hint?: string;
  /** Point at the key rather than at its value (unknown or missing keys, keys that conflict). */
  atKey?: boolean;
  /** For "is required": the missing key. For "unknown key": the valid key it is probably a typo of. */
  missing?: string;
  suggested?: string;
}

type Issue = z.core.$ZodIssue;

/** A problem about the value at `path`, labelled with that path. */
export function problemAt(path: PropertyKey[], text: string, options: { hint?: string | undefined; atKey?: boolean | undefined } = {}): Problem {
  return { path, message: `${formatPath(path) || 'document'}: ${text}`, ...(options.hint ? { hint: options.hint } : {}), ...(options.atKey ? { atKey: true } : {}) };
}

/** A missing key: positioned at its parent's key, since the key itself is not in the file. */
function required(path: PropertyKey[]): Problem {
  const key = String(path.at(-1));
  return { ...problemAt(path, 'is required', { hint: `Add "${key}".` }), path: path.slice(0, -1), atKey: true, missing: key };
}

const article: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'a boolean', object: 'a map', record: 'a map', array: 'a list', null: 'nothing' };

/** How a YAML value reads in a message: "a list", "a map", "the number 3". */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

/** Issues of one branch of a union that failed at the branch's root, because the value is of another kind. */
const failsAtRoot = (issues: readonly Issue[]) => issues.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));

/**
 * Turns zod issues into problems a person can act on: unions report the branch that matches the kind of value written
 * (a map under `container:` is checked as a map, not reported as "not a string"), unknown keys get a did-you-mean.
 */
export function problemsFromIssues(issues: readonly Issue[], base: PropertyKey[] = []): Problem[] {
  const problems = issues.flatMap((issue) => fromIssue(issue, [...base, ...(issue.path as PropertyKey[])]));
  // `jbos:` is reported as an unknown key with "did you mean jobs"; "jobs is required" at the same place is noise.
  const typos = new Set(problems.filter((p) => p.suggested).map((p) => `${formatPath(p.path.slice(0, -1))}\u0000${p.suggested}`));
  return problems.filter((p) => !p.missing || !typos.has(`${formatPath(p.path)}\u0000${p.missing}`));
}

function fromIssue(issue: Issue, path: PropertyKey[]): Problem[] {
  const input = (issue as { input?: unknown }).input;
  const params = ((issue as { params?: { hint?: string; atKey?: boolean } }).params ?? {}) as { hint?: string; atKey?: boolean };
  switch (issue.code) {
    case 'invalid_union': {
      const branches = issue.errors.filter((b) => b.length > 0);
      const fitting = branches.filter((b) => !b.some((i) => i.path.length === 0)).concat(branches.filter((b) => !failsAtRoot(b) && b.some((i) => i.path.length === 0)));
      if (fitting[0]) return problemsFromIssues(fitting[0], path);
      if (issue.message !== 'Invalid input') return [problemAt(path, `${issue.message}, got ${describeValue(input)}`)];
      const expected = [...new Set(branches.flatMap((b) => b.filter((i) => i.path.length === 0 && i.code === 'invalid_type').map((i) => article[(i as { expected: string }).expected] ?? (i as { expected: string }).expected)))];
      return [problemAt(path, `expected ${expected.join(' or ')}, got ${describeValue(input)}`)];
    }
    case 'unrecognized_keys': {
      const valid = issue.message.startsWith(validKeysPrefix) ? issue.message.slice(validKeysPrefix.length).split(', ') : [];
      return issue.keys.map((key) => {
        const suggested = closest(key, valid);
        return {
          path: [...path, key],
          message: `${formatPath(path) || 'document'}: unknown key "${key}"`,
          hint: `${suggested ? `Did you mean "${suggested}"? ` : `Remove "${key}" or fix its spelling. `}Valid keys here: ${valid.join(', ') || 'none'}.`,
          atKey: true,
          ...(suggested ? { suggested } : {}),
        };
      });
    }
    case 'invalid_key':
      return [problemAt(path, `invalid key: ${issue.issues[0]?.message ?? issue.message}`, { atKey: true })];
    case 'invalid_type': {
      if (input === undefined) return [required(path)];
      if (!issue.message.startsWith('Invalid input')) return [problemAt(path, `${issue.message}, got ${describeValue(input)}`)];
      return [problemAt(path, `expected ${article[issue.expected] ?? issue.expected}, got ${describeValue(input)}`)];
    }
    case 'invalid_value': {
      if (input === undefined) return [required(path)];
      const values = issue.values.map(String);
      if (!issue.message.startsWith('Invalid')) return [problemAt(path, issue.message)];
      return [problemAt(path, `unknown value ${JSON.stringify(input)}`, { hint: `${didYouMean(String(input), values)}Use one of: ${values.join(', ')}.` })];
    }
    default:
      return [problemAt(path, issue.message, { hint: params.hint, atKey: params.atKey })];
  }
}
