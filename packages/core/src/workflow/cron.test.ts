import { describe, expect, it } from 'vitest';
import { cronMatches, cronProblem } from './cron.js';

describe('cronProblem', () => {
  it.each(['* * * * *', '30 5 * * 1-5', '*/15 0-6,18-23 1,15 JAN-JUN sun', '0 0 1 */3 *', '0 12 * * MON-FRI', '5/10 * 31 12 6', ' 0  0 * * * '])('accepts %j', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['@daily', '"@daily" has 1 field; cron takes 5: minute hour day-of-month month day-of-week'],
    ['* * * * * *', '"* * * * * *" has 6 fields; cron takes 5: minute hour day-of-month month day-of-week'],
    ['60 * * * *', '"60 * * * *": minute "60" is not between 0 and 59'],
    ['0 24 * * *', '"0 24 * * *": hour "24" is not between 0 and 23'],
    ['0 0 0 * *', '"0 0 0 * *": day of month "0" is not between 1 and 31'],
    ['0 0 * 13 *', '"0 0 * 13 *": month "13" is not between 1 and 12'],
    ['0 0 * * 7', '"0 0 * * 7": day of week "7" is not between 0 and 6'],
    ['0 0 * * SUNDAY', '"0 0 * * SUNDAY": day of week "SUNDAY" is not between 0 and 6'],
    ['0 0 10-5 * *', '"0 0 10-5 * *": day of month range "10-5" ends before it starts'],
    ['*/0 * * * *', '"*/0 * * * *": minute "*/0" needs a step of 1 or more after "/"'],
    ['1/2/3 * * * *', '"1/2/3 * * * *": minute "1/2/3" has more than one "/"'],
    ['1,,2 * * * *', '"1,,2 * * * *": minute has an empty list item'],
    ['1-2-3 * * * *', '"1-2-3 * * * *": minute "1-2-3" is not a range'],
  ])('rejects %j', (cron, problem) => {
    expect(cronProblem(cron)).toBe(problem);
  });
});

describe('cronMatches', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['* * * * *', '2026-11-26T10:41:00Z', true],
    ['30 5 * * 1-5', '2026-11-26T05:30:59Z', true],
    ['30 5 * * 1-5', '2026-11-28T05:30:00Z', false],
    ['*/15 * * * *', '2026-11-26T10:45:00Z', true],
    ['*/15 * * * *', '2026-11-26T10:46:00Z', false],
    ['5/20 * * * *', '2026-11-26T10:25:00Z', true],
    ['0 0 1 JAN-MAR *', '2026-02-01T00:00:00Z', true],
    ['0 0 1 JAN-MAR *', '2026-04-01T00:00:00Z', false],
    ['0 12 * * SUN', '2026-11-29T12:00:00Z', true],
    // Both days restricted: either matches (the 13th, or any Friday).
    ['0 0 13 * 5', '2026-11-13T00:00:00Z', true],
    ['0 0 13 * 5', '2026-11-27T00:00:00Z', true],
    ['0 0 13 * 5', '2026-11-26T00:00:00Z', false],
  ])('%s at %s is %s', (cron, iso, want) => {
    expect(cronMatches(cron, at(iso))).toBe(want);
  });

  it('reads the fields in the time zone given', () => {
    expect(cronMatches('30 9 * * *', at('2026-11-26T08:30:00Z'), 'Europe/Paris')).toBe(true);
    expect(cronMatches('30 9 * * *', at('2026-11-26T09:30:00Z'), 'Europe/Paris')).toBe(false);
  });
});
