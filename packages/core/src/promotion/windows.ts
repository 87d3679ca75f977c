import { cronMatches } from '../workflow/cron.js';

/** How far ahead the next allowed minute is looked for; a policy that allows nothing within it is checked again hourly. */
const horizonMinutes = 8 * 24 * 60;

export interface TimeRules {
  /** Allowed minutes; empty means every minute. */
  windows: readonly string[];
  /** Minutes in which nothing deploys. */
  freezes: readonly string[];
  timeZone: string;
}

/** Whether a promotion may deploy in the minute of `at`, and which rule says no. */
export function timeVerdict(rules: TimeRules, at: Date): { allowed: true } | { allowed: false; rule: 'window' | 'freeze'; cron: string } {
  const freeze = rules.freezes.find((c) => cronMatches(c, at, rules.timeZone));
  if (freeze !== undefined) return { allowed: false, rule: 'freeze', cron: freeze };
  if (rules.windows.length > 0 && !rules.windows.some((c) => cronMatches(c, at, rules.timeZone))) return { allowed: false, rule: 'window', cron: rules.windows.join(' | ') };
  return { allowed: true };
}

/** The first minute at or after `from` in which a promotion may deploy, or undefined when none comes within eight days. */
export function nextAllowed(rules: TimeRules, from: Date): Date | undefined {
  const start = Math.floor(from.getTime() / 60_000) * 60_000;
  for (let i = 0; i <= horizonMinutes; i++) {
    const at = new Date(start + i * 60_000);
    if (timeVerdict(rules, at).allowed) return i === 0 ? from : at;
  }
  return undefined;
}
