import { z } from 'zod';
import type { AnalysisMetric } from '../config/schema.js';
import { classifyMetric, scoreJudgement } from '../analysis/judge.js';

export const measurementSchema = z.object({
  metric: z.string(),
  at: z.string(),
  step: z.number().int().describe('Index of the step it was taken in.'),
  weight: z.number().describe('The canary weight it was taken at.'),
  phase: z.enum(['successful', 'failed', 'inconclusive', 'error', 'skipped']).describe('skipped: no data under the ignore policy.'),
  value: z.number().nullable().describe('The measured value (success rate, p99 ms, query value, judge score); null with no data.'),
  threshold: z.string().nullable().describe('What it was judged against, in words (≥ 0.99).'),
  detail: z.string(),
});
export type Measurement = z.infer<typeof measurementSchema>;

/** One request through the proxy, as the measurement sees it. */
export interface RequestSample {
  version: string;
  status: number;
  ms: number;
}

type Verdict = Pick<Measurement, 'phase' | 'value' | 'threshold' | 'detail'>;

/** What a missing measurement is under the metric's no-data policy. */
export function noData(metric: AnalysisMetric, why: string): Verdict {
  const phase = metric.noData === 'fail' ? 'failed' : metric.noData === 'ignore' ? 'skipped' : 'inconclusive';
  return { phase, value: null, threshold: null, detail: `no data: ${why}` };
}

/** The p-th percentile (0–100) of values, nearest rank. */
export function percentileOf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The built-in proxy's RED metrics of the canary over one interval, against the success-rate and p99 thresholds. */
export function judgeProxy(metric: AnalysisMetric, canary: readonly RequestSample[]): Verdict {
  if (canary.length < metric.minRequests) return noData(metric, `${canary.length} request${canary.length === 1 ? '' : 's'} to the canary in the interval (at least ${metric.minRequests} needed)`);
  const ok = canary.filter((s) => s.status < 500).length;
  const rate = ok / canary.length;
  const p99 = percentileOf(canary.map((s) => s.ms), 99);
  const parts: string[] = [];
  let failed = false;
  if (metric.successRate !== undefined) {
    parts.push(`success rate ${(rate * 100).toFixed(1)} % (${canary.length - ok} of ${canary.length} failed; needs ≥ ${(metric.successRate * 100).toFixed(1)} %)`);
    failed ||= rate < metric.successRate;
  }
  if (metric.p99LatencyMs !== undefined) {
    parts.push(`p99 ${p99.toFixed(1)} ms (needs ≤ ${metric.p99LatencyMs} ms)`);
    failed ||= p99 > metric.p99LatencyMs;
  }
  const value = metric.successRate !== undefined ? rate : p99;
  const threshold = [metric.successRate !== undefined ? `≥ ${metric.successRate}` : null, metric.p99LatencyMs !== undefined ? `p99 ≤ ${metric.p99LatencyMs} ms` : null].filter(Boolean).join(', ') || null;
  return { phase: failed ? 'failed' : 'successful', value, threshold, detail: parts.join('; ') || `${canary.length} requests` };
}

/** A query's value against min and max. */
export function judgeValue(metric: AnalysisMetric, value: number | null): Verdict {
  if (value === null || Number.isNaN(value)) return noData(metric, 'the query returned no value');
  const threshold = [metric.min !== undefined ? `≥ ${metric.min}` : null, metric.max !== undefined ? `≤ ${metric.max}` : null].filter(Boolean).join(' and ') || null;
  const failed = (metric.min !== undefined && value < metric.min) || (metric.max !== undefined && value > metric.max);
  return { phase: failed ? 'failed' : 'successful', value, threshold, detail: `value ${value}${threshold ? ` (needs ${threshold})` : ''}` };
}

/**
 * Kayenta's judge as a metric: the canary's latencies and errors against the stable version's over the same interval,
 * each by the Mann-Whitney classifier (higher is bad), scored and classified with `pass` and `marginal`.
 */
export function judgeCanary(metric: AnalysisMetric, canary: readonly RequestSample[], stable: readonly RequestSample[]): Verdict {
  if (canary.length < metric.minRequests || stable.length < metric.minRequests) return noData(metric, `${canary.length} canary and ${stable.length} stable requests in the interval (at least ${metric.minRequests} each needed)`);
  const metrics = [
    classifyMetric({ name: 'latency', direction: 'increase' }, canary.map((s) => s.ms), stable.map((s) => s.ms)),
    classifyMetric({ name: 'errors', direction: 'increase', critical: true }, canary.map((s) => (s.status >= 500 ? 1 : 0)), stable.map((s) => (s.status >= 500 ? 1 : 0))),
  ];
  const j = scoreJudgement(metrics, { pass: metric.pass, marginal: metric.marginal });
  const phase = j.verdict === 'Pass' ? 'successful' : j.verdict === 'Marginal' ? 'inconclusive' : 'failed';
  const why = metrics.map((m) => `${m.name} ${m.classification}${m.reason ? ` (${m.reason})` : ''}`).join(', ');
  return { phase, value: j.score, threshold: `pass ≥ ${metric.pass}, marginal ≥ ${metric.marginal}`, detail: `score ${j.score}: ${why}${j.forcedToZero ? `; ${j.forcedToZero}` : ''}` };
}

/**
 * How many requests the new version served while it took traffic, out of all the proxy passed: from when it was
 * routed (weights are spread evenly, so its first request is the ⌈100 / weight⌉-th after that) to its last request.
 */
export function servedShare(samples: readonly RequestSample[], canaryRevision: string, weight: number): { canary: number; total: number } {
  const first = samples.findIndex((s) => s.version === canaryRevision);
  if (first < 0 || weight <= 0) return { canary: 0, total: 0 };
  let last = first;
  for (let i = samples.length - 1; i >= first; i--) {
    if (samples[i]!.version === canaryRevision) {
      last = i;
      break;
    }
  }
  const window = samples.slice(Math.max(0, first - (Math.ceil(100 / weight) - 1)), last + 1);
  return { canary: window.filter((s) => s.version === canaryRevision).length, total: window.length };
}
