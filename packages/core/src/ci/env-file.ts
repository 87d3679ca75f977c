/** The values a step wrote to an environment file, and the problems found in it. */
export interface EnvFile {
  values: Record<string, string>;
  /** One message per bad line; the runner fails the step when there is any. Messages quote names, never values. */
  errors: string[];
}

/** Lines with the offset just past each line's end; CRLF counts as one line break, as the Windows runner reads it. */
function* lines(text: string): Generator<{ line: string; next: number; hasBreak: boolean }> {
  let index = 0;
  while (index < text.length) {
    const lf = text.indexOf('\n', index);
    if (lf < 0) {
      yield { line: text.slice(index), next: text.length, hasBreak: false };
      return;
    }
    const end = lf > index && text[lf - 1] === '\r' ? lf - 1 : lf;
    yield { line: text.slice(index, end), next: lf + 1, hasBreak: true };
    index = lf + 1;
  }
}

/** A record whose keys are all own data properties, so that a `__proto__` name is just a name. */
function set(values: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Parses GITHUB_ENV, GITHUB_OUTPUT or GITHUB_STATE as the runner does: `NAME=value` lines, and `NAME<<DELIMITER` …
 * `DELIMITER` for multi-line values (the value is the text between, without the final line break). Whichever of `=`
 * and `<<` comes first decides the form. Empty lines are skipped, a later name wins, and an unterminated heredoc is an
 * error (it swallows the rest of the file, as on GitHub).
 */
export function parseEnvFile(text: string): EnvFile {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const it = lines(text);
  let lineNumber = 0;
  for (let entry = it.next(); !entry.done; entry = it.next()) {
    lineNumber++;
    const { line } = entry.value;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === '') errors.push(`line ${lineNumber}: the name before '=' is empty`);
      else set(values, name, line.slice(eq + 1));
      continue;
    }
    if (heredoc < 0) {
      errors.push(`line ${lineNumber}: expected NAME=value or NAME<<DELIMITER`);
      continue;
    }
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === '' || delimiter === '') {
      errors.push(`line ${lineNumber}: NAME<<DELIMITER needs both a name and a delimiter`);
      continue;
    }
    const start = entry.value.hasBreak ? entry.value.next : text.length;
    let end = -1;
    let valueEnd = start;
    const startLine = lineNumber;
    for (let inner = it.next(); !inner.done; inner = it.next()) {
      lineNumber++;
      if (inner.value.line === delimiter) {
        end = valueEnd;
        break;
      }
      // The value ends before the line break that precedes the delimiter line.
      valueEnd = inner.value.next - (inner.value.hasBreak ? (text[inner.value.next - 2] === '\r' ? 2 : 1) : 0);
    }
    if (end < 0) {
      errors.push(`line ${startLine}: the value of ${name} has no closing '${delimiter}' line`);
      break;
    }
    set(values, name, text.slice(start, Math.max(start, end)));
  }
  return { values, errors };
}

/**
 * Parses GITHUB_PATH: one directory per line, in file order, without empty lines. The runner prepends each to PATH in
 * turn, so the last line ends up first.
 */
export function parsePathFile(text: string): string[] {
  return text.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
}
