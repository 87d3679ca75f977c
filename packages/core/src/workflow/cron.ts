/**
 * POSIX cron as `on.schedule` takes it: five fields (minute, hour, day of month, month, day of week), each `*`, a
 * number, a range `a-b`, a step `x/n`, or a comma-separated list of those. Months and weekdays may be named (JAN, MON).
 * GitHub rejects the non-standard `@daily` forms, and so do we.
 */
interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Why a cron expression is invalid, or undefined when it is valid. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return `"${expression}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; cron takes 5: minute hour day-of-month month day-of-week`;
  for (const [i, part] of parts.entries()) {
    const field = fields[i]!;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return `"${expression}": ${field.name} ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: CronField): string | undefined {
  if (item === '') return 'has an empty list item';
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return `"${item}" has more than one "/"`;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return `"${item}" needs a step of 1 or more after "/"`;
  if (range === '*') return undefined;
  const [from, to, ...more] = range!.split('-');
  if (more.length > 0) return `"${item}" is not a range`;
  const start = value(from!, field);
  if (start === undefined) return `"${from}" is not between ${field.min} and ${field.max}`;
  if (to === undefined) return undefined;
  const end = value(to, field);
  if (end === undefined) return `"${to}" is not between ${field.min} and ${field.max}`;
  return end < start ? `range "${range}" ends before it starts` : undefined;
}

function value(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  // Month names count from 1 (JAN = 1), weekday names from 0 (SUN = 0), as their numbers do.
  if (named >= 0) return named + field.min;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}
