/**
 * Checks a literal format() string the way GitHub does when it parses a workflow, before anything runs: `{N}` holes
 * with digits only, `{{` and `}}` as escapes, no stray brace, and no hole past the arguments given. Returns the problem,
 * or undefined when the string is valid.
 */
export function formatStringProblem(format: string, argumentCount: number): string | undefined {
  let highest = -1;
  let i = 0;
  while (i < format.length) {
    const left = format.indexOf('{', i);
    const right = format.indexOf('}', i);
    if (left < 0 && right < 0) break;
    if (left >= 0 && (right < 0 || left < right)) {
      if (format[left + 1] === '{') {
        i = left + 2;
        continue;
      }
      const close = format.indexOf('}', left + 1);
      const hole = close < 0 ? '' : format.slice(left + 1, close);
      if (!/^[0-9]+$/.test(hole)) return invalid(format);
      highest = Math.max(highest, Number(hole));
      i = close + 1;
      continue;
    }
    if (format[right + 1] !== '}') return invalid(format);
    i = right + 2;
  }
  if (highest >= argumentCount) return `Format string references {${highest}} but only ${argumentCount} argument(s) provided`;
  return undefined;
}

const invalid = (format: string) => `Invalid format string: '${format}'`;
