import type { TrafficTotals } from '@slipway/core';

/** Latency histogram bounds in seconds (Prometheus' default buckets, plus 25 ms and 2.5 ms for loopback speeds). */
export const latencyBuckets = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One request through the proxy. */
export interface TrafficSample {
  at: number;
  version: string;
  status: number;
  ms: number;
}

export interface VersionTotals {
  requests: number;
  errors: number;
  /** Cumulative counts per bucket of `latencyBuckets`, then +Inf. */
  buckets: number[];
  sumSeconds: number;
}

/** Counts what passes through one service's proxy, per version. */
export interface TrafficRecorder {
  record(version: string, status: number, ms: number): void;
  /** Totals per version since the proxy started (what /metrics exports). */
  totals(): Map<string, VersionTotals>;
  /** The samples since `sinceMs` (epoch ms), oldest first; the last `maxSamples` are kept. */
  samples(sinceMs: number): TrafficSample[];
}

export function createTrafficRecorder(maxSamples = 50_000): TrafficRecorder {
  const totals = new Map<string, VersionTotals>();
  const ring: TrafficSample[] = new Array(maxSamples);
  let next = 0;
  let size = 0;
  return {
    record(version, status, ms) {
      let t = totals.get(version);
      if (!t) totals.set(version, (t = { requests: 0, errors: 0, buckets: new Array(latencyBuckets.length + 1).fill(0), sumSeconds: 0 }));
      t.requests++;
      if (status >= 500) t.errors++;
      const seconds = ms / 1000;
      t.sumSeconds += seconds;
      for (let i = 0; i < latencyBuckets.length; i++) if (seconds <= latencyBuckets[i]!) t.buckets[i]!++;
      t.buckets[latencyBuckets.length]!++;
      ring[next] = { at: Date.now(), version, status, ms };
      next = (next + 1) % maxSamples;
      size = Math.min(size + 1, maxSamples);
    },
    totals: () => totals,
    samples(sinceMs) {
      const out: TrafficSample[] = [];
      for (let i = 0; i < size; i++) {
        const s = ring[(next - size + i + maxSamples) % maxSamples]!;
        if (s.at >= sinceMs) out.push(s);
      }
      return out;
    },
  };
}

/** A recorder's totals per version as the TrafficControl port reports them (for /metrics). */
export function totalsOf(environment: string, service: string, recorder: TrafficRecorder | undefined): TrafficTotals[] {
  return [...(recorder?.totals() ?? [])].map(([version, t]) => ({
    environment,
    service,
    version,
    requests: t.requests,
    errors: t.errors,
    buckets: [...latencyBuckets.map((le, i) => ({ le, count: t.buckets[i]! })), { le: Infinity, count: t.buckets[latencyBuckets.length]! }],
    count: t.requests,
    sumSeconds: t.sumSeconds,
  }));
}
