import { describe, expect, it } from 'vitest';
import { cronProblem } from './cron.js';

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
