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

/** The values of one field that an expression allows; undefined when the expression is invalid. */
function expand(part: string, field: CronField): Set<number> {
  const out = new Set<number>();
  for (const item of part.split(',')) {
    const [range, step] = item.split('/');
    const by = step === undefined ? 1 : Number(step);
    let from = field.min;
    let to = field.max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      from = value(a!, field)!;
      to = b === undefined ? (step === undefined ? from : field.max) : value(b, field)!;
    }
    for (let v = from; v <= to; v += by) out.add(v);
  }
  return out;
}

/** The wall-clock fields of an instant in a time zone (UTC when none is given). */
function wallClock(at: Date, timeZone?: string): { minute: number; hour: number; day: number; month: number; weekday: number } {
  if (!timeZone || timeZone === 'UTC') return { minute: at.getUTCMinutes(), hour: at.getUTCHours(), day: at.getUTCDate(), month: at.getUTCMonth() + 1, weekday: at.getUTCDay() };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { minute: Number(parts.minute), hour: Number(parts.hour), day: Number(parts.day), month: Number(parts.month), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!) };
}

/**
 * Whether a valid cron expression fires in the minute of `at`. As in POSIX cron, when both day of month and day of
 * week are restricted (neither is `*`), a day matches if either does.
 */
export function cronMatches(expression: string, at: Date, timeZone?: string): boolean {
  const parts = expression.trim().split(/\s+/);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => expand(p, fields[i]!)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const t = wallClock(at, timeZone);
  if (!minute.has(t.minute) || !hour.has(t.hour) || !month.has(t.month)) return false;
  const domAny = parts[2]!.startsWith('*');
  const dowAny = parts[4]!.startsWith('*');
  if (domAny || dowAny) return dom.has(t.day) && dow.has(t.weekday);
  return dom.has(t.day) || dow.has(t.weekday);
}
