import { z } from 'zod';
import type { AnalysisMetric, StrategyConfig } from '../config/schema.js';
import { durationMs } from './duration.js';
import { measurementSchema } from './measurement.js';

export const rolloutPhases = ['progressing', 'paused', 'succeeded', 'aborted'] as const;

export const rolloutSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    environmentId: z.string(),
    service: z.string(),
    releaseId: z.string(),
    deploymentId: z.string().nullable(),
    promotionId: z.string().nullable(),
    strategy: z.enum(['canary', 'blue-green']),
    steps: z.array(z.number()).describe('Canary weights in percent; blue-green: [0, 100] (preview, then switched).'),
    stepIndex: z.number().int(),
    weight: z.number().describe('Percent of requests the new version takes now.'),
    phase: z.enum(rolloutPhases),
    reason: z.string().nullable().describe('Why it paused, was aborted, or what it waits for.'),
    stableRevision: z.string().nullable(),
    canaryRevision: z.string(),
    stepStartedAt: z.string(),
    measurements: z.array(measurementSchema),
    exposure: z.string().nullable().describe('Worst case for a bad version at the current step: (failure limit + 1) × interval at the weight.'),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .describe('A progressive rollout of one service in one environment: its steps, weight, measurements and outcome.');
export type Rollout = z.infer<typeof rolloutSchema>;

export type NamedMetric = [name: string, metric: AnalysisMetric];

/** What to do with a progressing rollout now. */
export type RolloutDecision =
  | { type: 'wait'; untilMs: number }
  | { type: 'advance'; stepIndex: number; weight: number; reason: string }
  | { type: 'promote'; reason: string }
  | { type: 'pause'; reason: string }
  | { type: 'abort'; reason: string };

/** How long a step without analysis holds before the next. */
export const stepHoldMs = 5000;

/** A metric's measurements of the current step; a step restarted (resumed after a pause) counts from its new start. */
const inStep = (rollout: Pick<Rollout, 'measurements' | 'stepIndex' | 'stepStartedAt'>, name: string) =>
  rollout.measurements.filter((x) => x.metric === name && x.step === rollout.stepIndex && x.at >= rollout.stepStartedAt);

/** The metrics due a measurement at `now`: not done with the step, and an interval since their last one (or the step's start). */
export function dueMetrics(rollout: Pick<Rollout, 'measurements' | 'stepIndex' | 'stepStartedAt'>, metrics: NamedMetric[], now: number): NamedMetric[] {
  return metrics.filter(([name, m]) => {
    const mine = inStep(rollout, name);
    if (mine.filter((x) => x.phase === 'successful' || x.phase === 'skipped').length >= m.count) return false;
    const last = mine.at(-1)?.at ?? rollout.stepStartedAt;
    return now - Date.parse(last) >= durationMs(m.interval);
  });
}

/**
 * Judges the current step from its measurements (pure): a metric failed more often than its failure limit, or erred
 * more often in a row than its consecutive-error limit → abort; an inconclusive measurement → pause, saying why;
 * every metric measured `count` times → the next step (or promote at the last; or pause when `autoPromote` is off);
 * otherwise wait for the next measurement.
 */
export function decideRollout(rollout: Pick<Rollout, 'measurements' | 'stepIndex' | 'stepStartedAt' | 'steps'>, strategy: Pick<StrategyConfig, 'autoPromote'>, metrics: NamedMetric[], now: number): RolloutDecision {
  for (const [name, m] of metrics) {
    const mine = rollout.measurements.filter((x) => x.metric === name && x.at >= rollout.stepStartedAt);
    const step = inStep(rollout, name);
    const failed = step.filter((x) => x.phase === 'failed');
    if (failed.length > m.failureLimit) return { type: 'abort', reason: `${name} failed${m.failureLimit > 0 ? ` ${failed.length} times (limit ${m.failureLimit})` : ''}: ${failed.at(-1)!.detail}` };
    let errors = 0;
    for (let i = mine.length - 1; i >= 0 && mine[i]!.phase === 'error'; i--) errors++;
    if (errors > m.consecutiveErrorLimit) return { type: 'abort', reason: `${name} could not be measured ${errors} times in a row: ${mine.at(-1)!.detail}` };
    const last = step.at(-1);
    if (last?.phase === 'inconclusive') return { type: 'pause', reason: `${name} is inconclusive: ${last.detail}` };
  }
  const started = Date.parse(rollout.stepStartedAt);
  const pending = metrics.filter(([name, m]) => inStep(rollout, name).filter((x) => x.phase === 'successful' || x.phase === 'skipped').length < m.count);
  if (pending.length > 0 || (metrics.length === 0 && now - started < stepHoldMs)) {
    const next = pending.length ? Math.min(...pending.map(([name, m]) => Date.parse(inStep(rollout, name).at(-1)?.at ?? rollout.stepStartedAt) + durationMs(m.interval))) : started + stepHoldMs;
    return { type: 'wait', untilMs: next };
  }
  const passed = metrics.length ? `step ${rollout.stepIndex + 1} passed (${metrics.map(([n]) => n).join(', ')})` : `step ${rollout.stepIndex + 1} held ${stepHoldMs / 1000} s`;
  // The next weight of 100 (or none) is the promotion itself: all traffic to the new version.
  const next = rollout.steps[rollout.stepIndex + 1];
  if (!strategy.autoPromote) return { type: 'pause', reason: `${passed}; waiting for \`slipway promote\`` };
  if (next === undefined || next >= 100) return { type: 'promote', reason: passed };
  return { type: 'advance', stepIndex: rollout.stepIndex + 1, weight: next, reason: passed };
}

/** The worst case for a bad version at a weight: (failure limit + 1) × interval of the slowest metric to fail. */
export function worstCaseExposure(metrics: NamedMetric[], weight: number): string | null {
  if (metrics.length === 0) return null;
  const ms = Math.max(...metrics.map(([, m]) => (m.failureLimit + 1) * durationMs(m.interval)));
  return `${weight} % of requests for at most ${ms / 1000} s`;
}
