import type { Deployment, EventKind, Health, Measurement, Promotion, Rollout, RunStatus, StepStatus } from '@slipway/core';

/** Every badge in the dashboard uses one of these five tones, so colour means the same thing everywhere. */
export type Tone = 'green' | 'blue' | 'red' | 'amber' | 'grey';

export const healthTone: Record<Health, Tone> = {
  healthy: 'green',
  progressing: 'blue',
  degraded: 'red',
  missing: 'grey',
  unknown: 'grey',
  suspended: 'amber',
};

export type AnyStatus = RunStatus | StepStatus | Deployment['phase'];

export const statusTone: Record<AnyStatus, Tone> = {
  queued: 'grey',
  running: 'blue',
  progressing: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelling: 'amber',
  cancelled: 'grey',
  skipped: 'grey',
  'rolled-back': 'amber',
};

export const rolloutTone: Record<Rollout['phase'], Tone> = { progressing: 'blue', paused: 'amber', succeeded: 'green', aborted: 'red' };

export const measurementTone: Record<Measurement['phase'], Tone> = { successful: 'green', failed: 'red', inconclusive: 'amber', error: 'red', skipped: 'grey' };

export const promotionTone: Record<Promotion['phase'], Tone> = { pending: 'amber', running: 'blue', succeeded: 'green', failed: 'red', aborted: 'grey' };

export function eventTone(kind: EventKind): Tone {
  if (/\.(failed|invalid|error|denied)$/.test(kind)) return 'red';
  if (/rolled-back$|^drift\.detected$|\.skipped$/.test(kind)) return 'amber';
  if (/\.(succeeded|created|healed)$/.test(kind)) return 'green';
  if (/\.(started|queued|triggered|retried)$/.test(kind)) return 'blue';
  return 'grey';
}
