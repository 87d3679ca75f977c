import { SlipwayError } from '@slipway/core';

const keyPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * Parses a dotenv file as act and docker compose read it: `KEY=value` lines, `export KEY=value`, `#` comments (whole
 * lines, or after whitespace in an unquoted value), single quotes taken literally, double quotes with \n, \t, \" and \\
 * escapes, and quoted values over several lines. A malformed line is an error at its file:line:col. Pure.
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (line: number, col: number, message: string, hint = 'Write one KEY=value per line; quote values with spaces or #.'): never => {
    throw new SlipwayError('SLW_USAGE', message, { position: { file, line, col }, hint });
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const indent = raw.length - raw.trimStart().length;
    let body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    let col = indent + 1;
    const exported = /^export\s+/.exec(body);
    if (exported) {
      body = body.slice(exported[0].length);
      col += exported[0].length;
    }
    const eq = body.indexOf('=');
    if (eq < 0) fail(i + 1, col, `expected KEY=value, found "${body.slice(0, 40)}"`);
    const key = body.slice(0, eq).trim();
    if (!keyPattern.test(key)) fail(i + 1, col, `"${key}" is not a valid name`, 'Names hold letters, digits and _ and do not start with a digit.');
    let rest = body.slice(eq + 1).trimStart();
    const valueCol = col + eq + 1 + (body.length - eq - 1 - rest.length);
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value ends at the matching quote, which may be on a later line.
      let value = '';
      let j = 1;
      let lineNo = i;
      for (;;) {
        if (j >= rest.length) {
          if (lineNo + 1 >= lines.length) fail(i + 1, valueCol, `the ${quote === '"' ? 'double' : 'single'} quote of ${key} is never closed`);
          lineNo++;
          value += '\n';
          rest += `\n${lines[lineNo]!}`;
          continue;
        }
        const c = rest[j]!;
        if (c === quote) break;
        if (quote === '"' && c === '\\' && j + 1 < rest.length && escapes[rest[j + 1]!] !== undefined) {
          value += escapes[rest[j + 1]!];
          j += 2;
          continue;
        }
        if (c !== '\n') value += c;
        j++;
      }
      const after = rest.slice(j + 1).trim();
      if (after !== '' && !after.startsWith('#')) fail(lineNo + 1, 1, `unexpected text after the quoted value of ${key}: "${after.slice(0, 40)}"`);
      out[key] = value;
      i = lineNo;
      continue;
    }
    // Unquoted: a # starts a comment only after whitespace, so that `a#b` keeps its #.
    const comment = /\s#/.exec(rest);
    out[key] = (comment ? rest.slice(0, comment.index) : rest).trim();
  }
  return out;
}
