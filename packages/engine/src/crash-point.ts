/**
 * Named points of the promotion flow where the crash tests kill the server (tests/e2e/promotion-crash.test.ts):
 * with SLIPWAY_CRASH_AT=<point> in its environment the process sends itself SIGKILL on reaching that point, as a power
 * cut would. Without the variable this is one comparison.
 */
export const crashPoints = [
  'release.created',
  'promotion.requested',
  'promotion.judged',
  'promotion.running',
  'promotion.desired',
  'deployment.started',
  'deployment.applied',
  'deployment.status',
  'deployment.succeeded',
  'promotion.succeeded',
] as const;
export type CrashPoint = (typeof crashPoints)[number];

const armed = process.env.SLIPWAY_CRASH_AT;

export function crashPoint(name: CrashPoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
