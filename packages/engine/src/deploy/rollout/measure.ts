import { durationMs, judgeCanary, judgeProxy, judgeValue, type AnalysisMetric, type Measurement, type Rollout, type TrafficControl } from '@slipway/core';

const queryTimeoutMs = 5000;

/** Takes one measurement of a metric over its last interval: from the proxy's samples, a PromQL query or an HTTP check. */
export async function measure(traffic: TrafficControl, environmentId: string, rollout: Rollout, name: string, metric: AnalysisMetric, now = Date.now()): Promise<Measurement> {
  const base = { metric: name, at: new Date(now).toISOString(), step: rollout.stepIndex, weight: rollout.weight };
  const sinceMs = now - durationMs(metric.interval);
  try {
    switch (metric.source) {
      case 'proxy': {
        const canary = traffic.samples(environmentId, rollout.service, sinceMs).filter((s) => s.version === rollout.canaryRevision);
        return { ...base, ...judgeProxy(metric, canary) };
      }
      case 'judge': {
        const samples = traffic.samples(environmentId, rollout.service, sinceMs);
        return { ...base, ...judgeCanary(metric, samples.filter((s) => s.version === rollout.canaryRevision), samples.filter((s) => s.version === rollout.stableRevision)) };
      }
      case 'prometheus':
        return { ...base, ...judgeValue(metric, await prometheusValue(metric, rollout)) };
      case 'http': {
        const res = await fetch(metric.url!, { signal: AbortSignal.timeout(queryTimeoutMs) });
        await res.body?.cancel();
        return { ...base, phase: res.ok ? 'successful' : 'failed', value: res.status, threshold: '2xx', detail: `GET ${metric.url} answered ${res.status}` };
      }
    }
  } catch (err) {
    return { ...base, phase: 'error', value: null, threshold: null, detail: `cannot measure: ${(err as Error).message}` };
  }
}

/** The first value of an instant query, or null when the result is empty or NaN; a failed request throws. */
async function prometheusValue(metric: AnalysisMetric, rollout: Rollout): Promise<number | null> {
  if (!metric.url || !metric.query) throw new Error('a prometheus metric needs url and query');
  const query = metric.query
    .replaceAll('{{ version }}', rollout.canaryRevision)
    .replaceAll('{{version}}', rollout.canaryRevision)
    .replaceAll('{{ stable }}', rollout.stableRevision ?? '')
    .replaceAll('{{ interval }}', metric.interval)
    .replaceAll('{{interval}}', metric.interval);
  const url = new URL('/api/v1/query', metric.url);
  url.searchParams.set('query', query);
  const res = await fetch(url, { signal: AbortSignal.timeout(queryTimeoutMs) });
  const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  if (!res.ok || body.status !== 'success') throw new Error(`Prometheus answered ${res.status}${body.error ? `: ${body.error}` : ''}`);
  const result = body.data?.result;
  const raw = body.data?.resultType === 'scalar' ? (result as [number, string])[1] : (result as { value: [number, string] }[] | undefined)?.[0]?.value[1];
  if (raw === undefined) return null;
  const value = Number(raw);
  return Number.isNaN(value) ? null : value;
}
