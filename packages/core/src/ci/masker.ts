import { secretForms } from './secret-encodings.js';

/** Hides secret values in text. */
export interface Masker {
  /** Adds a secret; empty and whitespace-only values are ignored, since masking them would hide every space. */
  add(secret: string): void;
  /** The text with every form of every secret replaced by `***`. */
  mask(text: string): string;
  /** The secrets added, in the order added, without repeats. */
  readonly secrets: readonly string[];
}

const replacement = '***';

/** A pattern of asterisks only is already what masking writes; it cannot be hidden and would never stop matching. */
const onlyAsterisks = (pattern: string) => /^\*+$/.test(pattern);

/** The [start, end) ranges where any pattern occurs, overlapping ones merged (adjacent ones too, as actions/runner does). */
function ranges(text: string, patterns: Iterable<string>): [number, number][] {
  const found: [number, number][] = [];
  for (const pattern of patterns) {
    for (let i = text.indexOf(pattern); i >= 0; i = text.indexOf(pattern, i + 1)) found.push([i, i + pattern.length]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of found) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function replace(text: string, found: [number, number][]): string {
  let out = '';
  let index = 0;
  for (const [start, end] of found) {
    out += text.slice(index, start) + replacement;
    index = end;
  }
  return out + text.slice(index);
}

/**
 * A masker with actions/runner's rules: every non-empty value is masked, however short (the runner has no minimum
 * length; a one-character secret hides that character everywhere, which is the safe side), together with its encoded
 * forms (see secretForms) and, for a multi-line secret, each of its lines. All occurrences of all forms are found first
 * and overlapping ones merged, so overlapping secrets are hidden completely whatever their order. Mask line by line: a
 * secret split across two chunks of output is not found.
 */
export function createMasker(): Masker {
  const secrets: string[] = [];
  const patterns = new Set<string>();

  const register = (value: string) => {
    for (const form of secretForms(value)) if (!onlyAsterisks(form)) patterns.add(form);
  };

  return {
    add(secret) {
      if (secret.trim() === '' || secrets.includes(secret)) return;
      secrets.push(secret);
      register(secret);
      if (/[\r\n]/.test(secret)) {
        for (const line of secret.split(/\r?\n|\r/)) {
          if (line.trim() === '') continue;
          register(line);
          // Printed lines often lose their indentation, or gain some.
          register(line.trim());
        }
      }
    },
    mask(text) {
      if (patterns.size === 0 || text === '') return text;
      // `***` next to the rest of the text can spell a secret that starts or ends with `*` again, so repeat until no
      // form is left. Every range holds a character that is not `*` and becomes `***`, so each pass has fewer of them.
      let out = text;
      for (let found = ranges(out, patterns); found.length > 0; found = ranges(out, patterns)) out = replace(out, found);
      return out;
    },
    get secrets() {
      return [...secrets];
    },
  };
}
