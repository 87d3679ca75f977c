import { Lexer, Parser, type Expr } from '@actions/expressions';
import { contextName, literalString, walkExpression } from './ast-walk.js';
import { hostFunctionInfo } from './functions.js';
import { splitTemplate } from './template.js';

/** The contexts and secrets a text reads. */
export interface ContextReferences {
  /** Names read as `secrets.X` or `secrets['X']`, as written (secret names are case-insensitive), without repeats. */
  secrets: string[];
  /** Top-level contexts read (`github`, `env`, `secrets` …), in lower case, without repeats. */
  contexts: string[];
  /**
   * True when the secrets context is read as a whole or with a computed key (`toJSON(secrets)`, `secrets[matrix.name]`,
   * `secrets.*`): then no list of names is complete, and the step needs every secret.
   */
  allSecrets: boolean;
}

/** Parses for analysis: every identifier is accepted as a context name, so no name is unknown here. */
function parseLeniently(expression: string): Expr | undefined {
  try {
    const { tokens } = new Lexer(expression).lex();
    return new Parser(tokens, tokens.map((t) => t.lexeme), hostFunctionInfo).parse();
  } catch {
    return undefined;
  }
}

/** A last resort for text the lexer refuses (an expression inside JSON-escaped text): the plain `secrets.X` forms. */
function scanSecrets(expression: string, add: (name: string) => void): boolean {
  let found = 0;
  for (const m of expression.matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'((?:[^']|'')*)'\s*\])/gi)) {
    add(m[1] ?? m[2]!.replaceAll("''", "'"));
    found++;
  }
  return (expression.match(/\bsecrets\b/gi)?.length ?? 0) > found;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* strings(item);
    }
  }
}

/** The expressions of a string: its `${{ }}` parts, or the whole string for a bare `if:` condition. */
function expressionsOf(text: string, condition: boolean): string[] {
  if (!text.includes('${{')) return condition ? [text] : [];
  try {
    return splitTemplate(text).flatMap((s) => (s.kind === 'expression' ? [s.expression] : []));
  } catch {
    // An unclosed `${{`: the rest of the text is still scanned, since evaluation will fail on it anyway.
    return [text.slice(text.indexOf('${{') + 3)];
  }
}

/**
 * The secrets and contexts that the `${{ }}` expressions of a text read, so that a step gets only the secrets it
 * references. `text` may also be a whole value (a step, a job): every string in it, keys included, is scanned. With
 * `condition`, a string without `${{ }}` is read as one bare expression, as an `if:` is.
 */
export function referencedContexts(text: unknown, options: { condition?: boolean } = {}): ContextReferences {
  const secrets = new Map<string, string>();
  const contexts = new Set<string>();
  let allSecrets = false;
  const addSecret = (name: string) => {
    if (!secrets.has(name.toUpperCase())) secrets.set(name.toUpperCase(), name);
  };

  for (const value of strings(text)) {
    for (const expression of expressionsOf(value, options.condition === true && typeof text === 'string')) {
      const expr = parseLeniently(expression.trim());
      if (!expr) {
        if (scanSecrets(expression, addSecret)) allSecrets = true;
        if (/\bsecrets\b/i.test(expression)) contexts.add('secrets');
        continue;
      }
      walkExpression(expr, {
        contextAccess(name) {
          contexts.add(name.toLowerCase());
          // Reached only when no literal index access below took the secrets context.
          if (name.toLowerCase() === 'secrets') allSecrets = true;
        },
        indexAccess(node) {
          const key = contextName(node.expr)?.toLowerCase() === 'secrets' ? literalString(node.index) : undefined;
          if (key === undefined) return false;
          contexts.add('secrets');
          addSecret(key);
          return true;
        },
      });
    }
  }
  return { secrets: [...secrets.values()], contexts: [...contexts], allSecrets };
}
