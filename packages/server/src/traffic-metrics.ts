import type { Store, TrafficControl, TrafficTotals } from '@slipway/core';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;

/**
 * The built-in proxies' RED metrics in Prometheus text format, per project, environment, service and version (the
 * revision): `slipway_proxy_requests_total` (with `code_class` 2xx…5xx), and the latency histogram
 * `slipway_proxy_request_duration_seconds`. Appended to /metrics, so a Prometheus scraping Slipway can judge canaries.
 */
export async function trafficMetricsText(store: Store, controls: (TrafficControl | undefined)[]): Promise<string> {
  const totals: TrafficTotals[] = controls.flatMap((c) => c?.totals() ?? []);
  if (totals.length === 0) return '';
  const envs = new Map((await store.listEnvironments()).map((e) => [e.id, e]));
  const projects = new Map((await store.listProjects()).map((p) => [p.id, p.name]));
  const requests: string[] = [];
  const histogram: string[] = [];
  for (const t of totals) {
    const env = envs.get(t.environment);
    const base = { project: env ? (projects.get(env.projectId) ?? '') : '', environment: env?.name ?? t.environment, service: t.service, version: t.version };
    const ok = t.requests - t.errors;
    requests.push(`slipway_proxy_requests_total${labels({ ...base, code_class: 'ok' })} ${ok}`, `slipway_proxy_requests_total${labels({ ...base, code_class: '5xx' })} ${t.errors}`);
    for (const b of t.buckets) histogram.push(`slipway_proxy_request_duration_seconds_bucket${labels({ ...base, le: b.le === Infinity ? '+Inf' : String(b.le) })} ${b.count}`);
    histogram.push(`slipway_proxy_request_duration_seconds_sum${labels(base)} ${t.sumSeconds}`, `slipway_proxy_request_duration_seconds_count${labels(base)} ${t.count}`);
  }
  return [
    '# HELP slipway_proxy_requests_total Requests through the built-in proxy of a service, by version and whether the answer was a 5xx.',
    '# TYPE slipway_proxy_requests_total counter',
    ...requests,
    '# HELP slipway_proxy_request_duration_seconds Latency of requests through the built-in proxy, by version.',
    '# TYPE slipway_proxy_request_duration_seconds histogram',
    ...histogram,
    '',
  ].join('\n');
}
