import type { SlipwayEvent } from '../model/event.js';
import type { DoraReport, DoraTier } from './schema.js';

/** The events DORA metrics are computed from. */
export const doraEventKinds = ['commit.seen', 'release.created', 'promotion.created', 'promotion.succeeded', 'promotion.failed'] as const;

const hour = 3600;
const day = 24 * hour;

/**
 * The 2024 DORA clusters (Accelerate State of DevOps 2024), one row per tier: what each of the four metrics must at least
 * be. Medium's change fail rate (10 %) is lower than High's (20 %), as in the report.
 */
const tiers: { tier: DoraTier; perDay: number; leadTime: number; failRate: number; recovery: number }[] = [
  { tier: 'elite', perDay: 1, leadTime: day, failRate: 0.05, recovery: hour },
  { tier: 'high', perDay: 1 / 7, leadTime: 7 * day, failRate: 0.2, recovery: day },
  { tier: 'medium', perDay: 1 / 30, leadTime: 30 * day, failRate: 0.1, recovery: day },
  { tier: 'low', perDay: 1 / 182, leadTime: 182 * day, failRate: 1, recovery: 30 * day },
];

interface Deploy {
  version: number;
  at: number;
  failed: boolean;
}

/**
 * DORA's four keys for one environment (production, normally) over `[from, to)`, from the event log alone:
 * - a deployment is a promotion into the environment that reached it: succeeded, or failed its health check;
 * - it failed when its health check failed, or when a rollback later moved the environment away from it;
 * - recovery runs from that moment to the next promotion that succeeded there (the rollback, usually);
 * - lead time runs from each commit to the first successful deployment of a release that contains it, where a release
 *   contains the commits seen since the commit of the release deployed there before (times ≤ 0 are dropped, as in
 *   Four Keys).
 * Each metric also gets the best 2024 tier whose threshold it meets; the overall tier is the best row all four meet.
 */
export function computeDora(events: readonly SlipwayEvent[], environment: string, from: Date, to: Date): DoraReport {
  const start = from.getTime();
  const end = to.getTime();
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const commits: { sha: string; committedAt: number; seq: number }[] = [];
  const releaseCommit = new Map<number, string>();
  const deploys: Deploy[] = [];
  const failures: { at: number; recoveredAt: number | null }[] = [];
  const leadTimes: number[] = [];
  let deployedSeq = -1;
  let current: Deploy | undefined;

  const inEnv = (e: SlipwayEvent) => e.data.environment === environment;
  const fail = (d: Deploy | undefined, at: number) => {
    if (!d || d.failed) return;
    d.failed = true;
    failures.push({ at, recoveredAt: null });
  };

  for (const e of ordered) {
    const at = Date.parse(e.ts);
    if (e.kind === 'commit.seen') {
      commits.push({ sha: String(e.data.sha), committedAt: Date.parse(String(e.data.committedAt)), seq: e.seq });
    } else if (e.kind === 'release.created') {
      releaseCommit.set(Number(e.data.version), String(e.data.commitSha));
    } else if (e.kind === 'promotion.failed' && inEnv(e)) {
      const d = { version: Number(e.data.version), at, failed: false };
      deploys.push(d);
      fail(d, at);
    } else if (e.kind === 'promotion.created' && inEnv(e) && e.data.kind === 'rollback' && e.data.fromVersion !== null && e.data.fromVersion !== undefined) {
      // A rollback away from the release that is live: that deploy needed intervention.
      if (current?.version === Number(e.data.fromVersion)) fail(current, at);
    } else if (e.kind === 'promotion.succeeded' && inEnv(e)) {
      for (const f of failures) if (f.recoveredAt === null && f.at <= at) f.recoveredAt = at;
      if (e.data.kind !== 'promote') continue;
      const d = { version: Number(e.data.version), at, failed: false };
      deploys.push(d);
      current = d;
      // The changes of this release: commits seen after the one deployed here before, up to the release's own.
      const sha = releaseCommit.get(d.version);
      const upTo = commits.find((c) => c.sha === sha)?.seq;
      if (upTo === undefined || upTo <= deployedSeq) continue;
      for (const c of commits) if (c.seq > deployedSeq && c.seq <= upTo && at - c.committedAt > 0 && at >= start && at < end) leadTimes.push((at - c.committedAt) / 1000);
      deployedSeq = upTo;
    }
  }

  const windowDeploys = deploys.filter((d) => d.at >= start && d.at < end);
  const windowFailures = failures.filter((f) => f.at >= start && f.at < end);
  const recoveries = windowFailures.filter((f) => f.recoveredAt !== null).map((f) => (f.recoveredAt! - f.at) / 1000);
  const days = (end - start) / (day * 1000);
  const perDay = windowDeploys.length / days;
  const failRate = windowDeploys.length ? windowDeploys.filter((d) => d.failed).length / windowDeploys.length : null;
  const leadTime = median(leadTimes);
  const recovery = median(recoveries);

  const meets = (row: (typeof tiers)[number]) => ({
    deploymentFrequency: perDay >= row.perDay,
    leadTime: leadTime !== null && leadTime < row.leadTime,
    changeFailRate: failRate !== null && failRate <= row.failRate,
    // No failure to recover from meets every row.
    recoveryTime: recovery === null ? windowFailures.length === 0 : recovery < row.recovery,
  });
  const best = (metric: keyof ReturnType<typeof meets>): DoraTier | null => tiers.find((row) => meets(row)[metric])?.tier ?? null;
  const enough = windowDeploys.length > 0 && leadTime !== null;
  return {
    environment,
    from: from.toISOString(),
    to: to.toISOString(),
    deployments: windowDeploys.length,
    deploymentFrequency: { perDay: round(perDay), tier: windowDeploys.length ? best('deploymentFrequency') : null },
    leadTime: { medianSeconds: leadTime === null ? null : round(leadTime), changes: leadTimes.length, tier: best('leadTime') },
    changeFailRate: { rate: failRate === null ? null : round(failRate), failed: windowDeploys.filter((d) => d.failed).length, tier: best('changeFailRate') },
    recoveryTime: { medianSeconds: recovery === null ? null : round(recovery), failures: windowFailures.length, recovered: recoveries.length, tier: windowDeploys.length ? best('recoveryTime') : null },
    daily: dailyCounts(windowDeploys, start, end),
    tier: { report: 'DORA 2024', overall: enough ? (tiers.find((row) => Object.values(meets(row)).every(Boolean))?.tier ?? null) : null },
  };
}

function dailyCounts(deploys: Deploy[], start: number, end: number): DoraReport['daily'] {
  const days: DoraReport['daily'] = [];
  for (let t = Math.floor(start / (day * 1000)) * day * 1000; t < end; t += day * 1000) {
    const on = deploys.filter((d) => d.at >= t && d.at < t + day * 1000);
    days.push({ date: new Date(t).toISOString().slice(0, 10), deployments: on.length, failed: on.filter((d) => d.failed).length });
  }
  return days;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
