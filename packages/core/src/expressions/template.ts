/** A piece of a string with `${{ }}` in it: literal text, or the text between `${{` and `}}`. */
export type TemplateSegment = { kind: 'text'; text: string } | { kind: 'expression'; expression: string; offset: number };

/** Why a template could not be split, and where (an offset into the template). */
export class UnclosedExpressionError extends Error {
  constructor(readonly offset: number) {
    // GitHub's own wording, so that users can search for it.
    super('The expression is not closed. An unescaped ${{ sequence was found, but the closing }} sequence was not found.');
  }
}

const open = '${{';

/** Whether a string contains an expression, which is what makes GitHub treat a value as a template. */
export function containsExpression(text: string): boolean {
  return text.includes(open);
}

/**
 * Splits a string into text and expressions. The closing `}}` is the first one outside a single-quoted string literal,
 * so `${{ format('{{0}}', x) }}` is one expression; a quote toggles the state, which also handles the `''` escape. This
 * is how GitHub's template reader scans. `offset` is where the expression text starts (after `${{`).
 */
export function splitTemplate(text: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf(open, index);
    if (start < 0) break;
    if (start > index) segments.push({ kind: 'text', text: text.slice(index, start) });
    const offset = start + open.length;
    let end = -1;
    let inString = false;
    for (let i = offset; i < text.length; i++) {
      if (text[i] === "'") inString = !inString;
      else if (!inString && text[i] === '}' && text[i - 1] === '}' && i - 1 >= offset) {
        end = i - 1;
        break;
      }
    }
    if (end < 0) throw new UnclosedExpressionError(start);
    segments.push({ kind: 'expression', expression: text.slice(offset, end), offset });
    index = end + 2;
  }
  if (index < text.length) segments.push({ kind: 'text', text: text.slice(index) });
  return segments;
}

