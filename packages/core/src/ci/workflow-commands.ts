/** A workflow command a step printed: `::name key=value,key2=value2::message`. */
export interface WorkflowCommand {
  /** The command name in lower case: GitHub matches names case-insensitively. */
  command: string;
  /** Unescaped property values. Annotation keys keep their documented spelling (`endLine`), however they were written. */
  properties: Record<string, string>;
  /** The unescaped data after the second `::`. */
  message: string;
}

// GitHub escapes `%`, CR and LF in data, and also `:` and `,` in property values (actions/toolkit's command.ts).
const dataEscapes: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const propertyEscapes: Record<string, string> = { ...dataEscapes, '%3A': ':', '%2C': ',' };

/** One pass, so that `%250A` is `%0A` and not a newline; escapes are upper case only, as the runner reads them. */
const unescape = (text: string, escapes: Record<string, string>) => text.replace(/%(?:25|0D|0A|3A|2C)/g, (m) => escapes[m] ?? m);

const annotationKeys = new Map(['file', 'line', 'endLine', 'col', 'endColumn', 'title'].map((k) => [k.toLowerCase(), k]));

/**
 * Parses one line of step output as a workflow command, or returns undefined when it is not one. Leading whitespace is
 * allowed; the name ends at the first space; properties are `key=value` separated by commas (pairs without `=` or with
 * an empty key or value are dropped, as the runner drops them).
 */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (command === '') return undefined;

  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) continue;
      const key = pair.slice(0, eq);
      // defineProperty: a `__proto__` key from a step's output must stay an ordinary key.
      Object.defineProperty(properties, annotationKeys.get(key.toLowerCase()) ?? key, {
        value: unescape(pair.slice(eq + 1), propertyEscapes),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return { command, properties, message: unescape(text.slice(end + 2), dataEscapes) };
}
