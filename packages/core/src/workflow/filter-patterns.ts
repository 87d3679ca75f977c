import { globToRegExp } from '../flow/glob.js';

/**
 * Whether a branch, tag or path passes a GitHub filter list. Patterns apply in order, so a `!pattern` excludes what an
 * earlier pattern included, and a later pattern can include it again (`[release/**, '!release/**-alpha']`).
 */
export function matchesFilter(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matched && globToRegExp(pattern.slice(1)).test(name)) matched = false;
    } else if (!matched && globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}
