import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { Store } from '@slipway/core';
import type { EventBus } from '@slipway/engine';

const buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/** Slipway's own Prometheus metrics, derived from the event log so that every counted thing is also an event. */
export function createMetrics(store: Store, bus: EventBus, extra: Metric[] = []): { registry: Registry; stop: () => void } {
  const registry = new Registry();
  for (const metric of extra) registry.registerMetric(metric);
  collectDefaultMetrics({ register: registry, prefix: 'slipway_process_' });
  const runs = new Counter({ name: 'slipway_runs_total', help: 'Finished CI runs, by status.', labelNames: ['status'], registers: [registry] });
  const runDuration = new Histogram({ name: 'slipway_run_duration_seconds', help: 'Duration of CI runs.', labelNames: ['status'], buckets, registers: [registry] });
  const jobs = new Counter({ name: 'slipway_jobs_total', help: 'Finished CI jobs, by status.', labelNames: ['status'], registers: [registry] });
  const jobDuration = new Histogram({ name: 'slipway_job_duration_seconds', help: 'Duration of CI jobs.', labelNames: ['status'], buckets, registers: [registry] });
  const deploys = new Counter({ name: 'slipway_deployments_total', help: 'Finished deployments, by environment and status.', labelNames: ['environment', 'status'], registers: [registry] });
  const deployDuration = new Histogram({ name: 'slipway_deployment_duration_seconds', help: 'Duration of deployments.', labelNames: ['environment', 'status'], buckets, registers: [registry] });
  const events = new Counter({ name: 'slipway_events_total', help: 'Events appended to the log, by kind.', labelNames: ['kind'], registers: [registry] });
  new Gauge({
    name: 'slipway_queue_depth',
    help: 'Jobs in the durable queue that are not finished, by kind and status.',
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await store.queueDepth()) this.set({ kind: row.kind, status: row.status }, row.count);
    },
  });
  const stop = bus.subscribe((e) => {
    events.inc({ kind: e.kind });
    const seconds = typeof e.data.durationMs === 'number' ? e.data.durationMs / 1000 : undefined;
    const status = e.kind.split('.')[1] ?? '';
    if (e.kind === 'run.succeeded' || e.kind === 'run.failed') {
      runs.inc({ status });
      if (seconds !== undefined) runDuration.observe({ status }, seconds);
    } else if (e.kind === 'job.succeeded' || e.kind === 'job.failed') {
      jobs.inc({ status });
      if (seconds !== undefined) jobDuration.observe({ status }, seconds);
    } else if (e.kind === 'deployment.succeeded' || e.kind === 'deployment.failed' || e.kind === 'drift.healed') {
      const labels = { environment: String(e.data.environment ?? ''), status: e.kind === 'deployment.failed' ? 'failed' : 'succeeded' };
      deploys.inc(labels);
      if (seconds !== undefined) deployDuration.observe(labels, seconds);
    }
  });
  return { registry, stop };
}
