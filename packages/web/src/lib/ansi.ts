/**
 * ANSI colour in log lines. Steps print SGR colour codes (`ESC[32m`), which the server keeps in the log text. This
 * parser turns one line into styled segments; the dashboard renders them as React spans, never as HTML. Only the
 * foreground colours 30–37 and 90–97, bold (1) and their resets (0, 22, 39) are kept; every other escape sequence
 * (cursor moves, erase, OSC titles and links, background and 256/true colours) is dropped.
 */

export const ansiColors = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
export type AnsiBaseColor = (typeof ansiColors)[number];
/** A foreground colour: `red`, or `bright-red` for 91. */
export type AnsiColor = AnsiBaseColor | `bright-${AnsiBaseColor}`;

export interface AnsiStyle {
  color: AnsiColor | null;
  bold: boolean;
}

export interface AnsiSegment extends AnsiStyle {
  text: string;
}

export const plainStyle: AnsiStyle = { color: null, bold: false };

/**
 * One escape sequence: CSI (`ESC [` parameters, intermediates, final byte), OSC (`ESC ]` … BEL or `ESC \`),
 * a charset designation (`ESC (` B) or any other two-byte escape; a lone ESC at the end of the text too.
 */
const escape = /\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[()*+#%][ -~]|[ -~])?/g;

/** Applies the parameters of one SGR sequence (`ESC[…m`) to a style. */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  let { color, bold } = style;
  const codes = params === '' ? [''] : params.split(';');
  for (let i = 0; i < codes.length; i++) {
    const raw = codes[i]!;
    // `38:5:208` packs an extended colour into one parameter; it is not a colour this parser keeps.
    if (raw.includes(':')) continue;
    const code = raw === '' ? 0 : Number(raw);
    if (code === 0) {
      color = null;
      bold = false;
    } else if (code === 1) bold = true;
    else if (code === 22) bold = false;
    else if (code >= 30 && code <= 37) color = ansiColors[code - 30]!;
    else if (code >= 90 && code <= 97) color = `bright-${ansiColors[code - 90]!}`;
    else if (code === 39) color = null;
    else if (code === 38 || code === 48 || code === 58) {
      // Extended colours: skip their arguments (`5;n` or `2;r;g;b`) so they are not read as codes of their own.
      const mode = codes[i + 1];
      i += mode === '5' ? 2 : mode === '2' ? 4 : 0;
    }
  }
  return { color, bold };
}

/** Splits a line into segments of one style each (adjacent equal styles merged, empty ones left out). */
export function parseAnsi(text: string, start: AnsiStyle = plainStyle): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  let style = start;
  let last = 0;
  const push = (chunk: string) => {
    if (chunk === '') return;
    const prev = segments[segments.length - 1];
    if (prev && prev.color === style.color && prev.bold === style.bold) prev.text += chunk;
    else segments.push({ text: chunk, color: style.color, bold: style.bold });
  };
  for (const m of text.matchAll(escape)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
  }
  push(text.slice(last));
  return segments;
}

/** The text without any escape sequence. */
export function stripAnsi(text: string): string {
  return text.replace(escape, '');
}
