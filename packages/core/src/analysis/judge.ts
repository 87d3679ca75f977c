import { mannWhitney } from './mann-whitney.js';

/** How one metric of the canary compares with the baseline (Kayenta's classifications). */
export type MetricClass = 'Pass' | 'High' | 'Low' | 'Nodata' | 'NodataFailMetric' | 'Error';

export interface JudgeMetricConfig {
  name: string;
  /** Which change is bad: `increase` (latency, errors), `decrease` (throughput), or `either` (the default). */
  direction?: 'increase' | 'decrease' | 'either';
  /** NaN values: removed (the default) or replaced by 0. */
  nanStrategy?: 'remove' | 'replace';
  outliers?: 'keep' | 'remove';
  outlierFactor?: number;
  critical?: boolean;
  mustHaveData?: boolean;
  /** Effect size (mean ratio canary/baseline) a High must reach; default 1. */
  allowedIncrease?: number;
  allowedDecrease?: number;
  criticalIncrease?: number;
  criticalDecrease?: number;
  /** The metric's group and the group's weight in the score. */
  group?: string;
}

export interface MetricJudgement {
  name: string;
  classification: MetricClass;
  critical: boolean;
  /** The Mann-Whitney interval and estimate of the shift (canary − baseline), and the mean ratio. */
  lower?: number;
  upper?: number;
  estimate?: number;
  effect?: number;
  reason?: string;
}

export interface Judgement {
  /** 0–100, two decimals. */
  score: number;
  verdict: 'Pass' | 'Marginal' | 'Fail';
  metrics: MetricJudgement[];
  /** Why the score was forced to 0, when it was. */
  forcedToZero?: string;
}

const tolerance = 0.25;

/** Removes or replaces NaNs, then optionally drops outliers outside [min(P1, Q1 − f·IQR), max(P99, Q3 + f·IQR)]. */
export function transform(values: readonly number[], cfg: Pick<JudgeMetricConfig, 'nanStrategy' | 'outliers' | 'outlierFactor'>): number[] {
  const clean = cfg.nanStrategy === 'replace' ? values.map((v) => (Number.isNaN(v) ? 0 : v)) : values.filter((v) => !Number.isNaN(v));
  if (cfg.outliers !== 'remove' || clean.length === 0) return clean;
  const sorted = [...clean].sort((a, b) => a - b);
  const q = (p: number) => percentile(sorted, p);
  const iqr = q(75) - q(25);
  const f = cfg.outlierFactor ?? 3;
  const low = Math.min(q(1), q(25) - f * iqr);
  const high = Math.max(q(99), q(75) + f * iqr);
  return clean.filter((v) => v >= low && v <= high);
}

/** Linear-interpolated percentile of sorted values (p in 0–100). */
function percentile(sorted: readonly number[], p: number): number {
  const at = (p / 100) * (sorted.length - 1);
  const i = Math.floor(at);
  return sorted[i]! + (sorted[Math.min(i + 1, sorted.length - 1)]! - sorted[i]!) * (at - i);
}

const mean = (v: readonly number[]) => v.reduce((s, n) => s + n, 0) / v.length;

/** Classifies one metric: canary (experiment) against baseline (control), as Kayenta's MannWhitneyClassifier does. */
export function classifyMetric(cfg: JudgeMetricConfig, canaryRaw: readonly number[], baselineRaw: readonly number[], noise: () => number = gaussian): MetricJudgement {
  const base = { name: cfg.name, critical: false };
  try {
    let canary = transform(canaryRaw, cfg);
    let baseline = transform(baselineRaw, cfg);
    if (canary.length === 0 || baseline.length === 0) {
      if (cfg.nanStrategy === 'replace') return { ...base, classification: 'Pass', reason: 'no data, NaNs replaced' };
      if (cfg.mustHaveData && !cfg.critical) return { ...base, classification: 'NodataFailMetric', reason: 'no data, and the metric must have data' };
      return { ...base, classification: 'Nodata', critical: Boolean(cfg.critical), reason: 'no data' };
    }
    const sc = [...canary].sort((a, b) => a - b);
    const sb = [...baseline].sort((a, b) => a - b);
    if (sc.length === sb.length && sc.every((v, i) => v === sb[i])) return { ...base, classification: 'Pass', reason: 'identical samples' };
    if ([...canary, ...baseline].every((v) => v === canary[0])) return { ...base, classification: 'Pass', reason: 'all values equal' };
    if (new Set(canary).size === 1 && new Set(baseline).size === 1) {
      canary = canary.map((v) => v + noise() * v * 1e-5);
      baseline = baseline.map((v) => v + noise() * v * 1e-5);
    }
    const { lower, upper, estimate } = mannWhitney(canary, baseline, 0.98);
    const mb = mean(baseline);
    const mc = mean(canary);
    const effect = mc === 0 || mb === 0 ? NaN : mc / mb;
    const direction = cfg.direction ?? 'either';
    const band = tolerance * Math.abs(estimate);
    const stats = { lower, upper, estimate, effect };
    if ((direction === 'increase' || direction === 'either') && lower > band && (Number.isNaN(effect) || effect >= (cfg.allowedIncrease ?? 1))) {
      const critical = Boolean(cfg.critical) && (Number.isNaN(effect) || effect >= (cfg.criticalIncrease ?? 1));
      return { ...base, ...stats, classification: 'High', critical, reason: `canary is higher (shift ${fmt(estimate)}, 98% CI ${fmt(lower)}…${fmt(upper)})` };
    }
    if ((direction === 'decrease' || direction === 'either') && upper < -band && (Number.isNaN(effect) || effect <= (cfg.allowedDecrease ?? 1))) {
      const critical = Boolean(cfg.critical) && (Number.isNaN(effect) || effect <= (cfg.criticalDecrease ?? 1));
      return { ...base, ...stats, classification: 'Low', critical, reason: `canary is lower (shift ${fmt(estimate)}, 98% CI ${fmt(lower)}…${fmt(upper)})` };
    }
    return { ...base, ...stats, classification: 'Pass' };
  } catch (err) {
    return { ...base, classification: 'Error', reason: (err as Error).message };
  }
}

/**
 * Scores the classified metrics (Kayenta's WeightedSumScorer) and classifies the score with the pass and marginal
 * thresholds: each group scores Pass / (Pass + High + Low + NodataFailMetric) × 100 (100 when nothing counts), the
 * summary is the weighted sum, forced to 0 when a critical metric did not pass or half the metrics have no data.
 */
export function scoreJudgement(metrics: MetricJudgement[], cfg: { groups?: Record<string, number>; groupOf?: (name: string) => string; pass: number; marginal: number }): Judgement {
  const groupOf = cfg.groupOf ?? (() => 'default');
  const groups = new Map<string, MetricJudgement[]>();
  for (const m of metrics) groups.set(groupOf(m.name), [...(groups.get(groupOf(m.name)) ?? []), m]);
  const configured = Object.entries(cfg.groups ?? {}).filter(([g]) => groups.has(g));
  const configuredSum = configured.reduce((s, [, w]) => s + w, 0);
  const unweighted = [...groups.keys()].filter((g) => !(cfg.groups && g in cfg.groups));
  const share = unweighted.length > 0 ? (100 - configuredSum) / unweighted.length : 0;
  let score = 0;
  for (const [group, list] of groups) {
    const pass = list.filter((m) => m.classification === 'Pass').length;
    const counted = list.filter((m) => ['Pass', 'High', 'Low', 'NodataFailMetric'].includes(m.classification)).length;
    const groupScore = counted === 0 ? 100 : (pass / counted) * 100;
    score += (groupScore * (cfg.groups?.[group] ?? share)) / 100;
  }
  score = Math.round(score * 100) / 100;
  let forcedToZero: string | undefined;
  const criticalFailed = metrics.find((m) => m.critical && m.classification !== 'Pass');
  if (criticalFailed) forcedToZero = `critical metric ${criticalFailed.name} is ${criticalFailed.classification}`;
  else if (metrics.length > 0 && metrics.filter((m) => m.classification === 'Nodata').length / metrics.length >= 0.5) forcedToZero = 'half the metrics or more have no data';
  if (forcedToZero) score = 0;
  const verdict = score >= cfg.pass ? 'Pass' : score >= cfg.marginal ? 'Marginal' : 'Fail';
  return { score, verdict, metrics, ...(forcedToZero ? { forcedToZero } : {}) };
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));

/** A standard normal sample (Box-Muller). */
function gaussian(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
