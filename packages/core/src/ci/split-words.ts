import { SlipwayError } from '../errors/slipway-error.js';

/**
 * Splits an options or command string like a POSIX shell: whitespace separates words; single and double quotes group
 * them. Every executor reads `container.options` and a service's `command` with it, so one workflow means the same
 * on Docker and on Kubernetes.
 */
export function splitWords(text: string, where: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i]!;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]!;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: unterminated ${quote} quote in ${JSON.stringify(text)}`, { path: where });
  if (word !== null) words.push(word);
  return words;
}
