import { Gauge, type Metric } from 'prom-client';
import type { DoraReport } from '@slipway/core';
import type { Engine } from '@slipway/engine';

/**
 * DORA's four keys of each project's last environment over the last 30 days, as gauges computed at scrape time
 * (registered into /metrics by createMetrics). A project without an environment has none.
 */
export function createDoraMetrics(engine: Pick<Engine, 'store' | 'insights'>): Metric[] {
  const labelNames = ['project', 'environment'];
  const reports = async () => {
    const out: { project: string; report: DoraReport }[] = [];
    for (const p of await engine.store.listProjects()) {
      const report = await engine.insights(p.id).catch(() => undefined);
      if (report) out.push({ project: p.name, report });
    }
    return out;
  };
  const gauge = (name: string, help: string, value: (r: DoraReport) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [],
      async collect() {
        this.reset();
        for (const { project, report } of await reports()) {
          const v = value(report);
          if (v !== null) this.set({ project, environment: report.environment }, v);
        }
      },
    });
  return [
    gauge('slipway_dora_deployments_per_day', 'DORA deployment frequency: deployments to the last environment per day, last 30 days.', (r) => r.deploymentFrequency.perDay),
    gauge('slipway_dora_lead_time_seconds', 'DORA change lead time: median seconds from commit to its deployment in the last environment, last 30 days.', (r) => r.leadTime.medianSeconds),
    gauge('slipway_dora_change_fail_rate', 'DORA change fail rate: share of deployments to the last environment that failed or were rolled back, last 30 days.', (r) => r.changeFailRate.rate),
    gauge('slipway_dora_recovery_time_seconds', 'DORA failed deployment recovery time: median seconds to the next good deployment, last 30 days.', (r) => r.recoveryTime.medianSeconds),
  ];
}
