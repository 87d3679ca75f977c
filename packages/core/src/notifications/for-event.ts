import type { SlipwayEvent } from '../model/event.js';
import type { GateStatus } from '../model/environment.js';
import type { Notification } from '../ports/notifier.js';

/** The notification an event is worth, or undefined: promotions (done or failed), rollbacks, approvals needed and drift. */
export function notificationFor(event: SlipwayEvent, project: string): Omit<Notification, 'url'> | undefined {
  const d = event.data;
  const environment = typeof d.environment === 'string' ? d.environment : null;
  const version = typeof d.version === 'number' ? d.version : null;
  const base = { project, environment, version };
  switch (event.kind) {
    case 'promotion.succeeded':
      return d.kind === 'rollback'
        ? { ...base, topic: 'rollback', severity: 'good', title: `${project}: ${environment} is back on v${version}`, text: event.message }
        : { ...base, topic: 'promotion', severity: 'good', title: `${project}: v${version} is live in ${environment}`, text: event.message };
    case 'promotion.failed':
      return { ...base, topic: 'promotion', severity: 'danger', title: `${project}: v${version} failed in ${environment}`, text: event.message };
    case 'deployment.rolled-back':
      return { ...base, topic: 'rollback', severity: 'warning', title: `${project}: ${environment} rolled back from v${version} to v${String(d.toVersion)}`, text: event.message };
    case 'promotion.created':
      return d.kind === 'rollback' && d.manual === true ? { ...base, topic: 'rollback', severity: 'warning', title: `${project}: ${environment} is being rolled back by hand to v${version}`, text: event.message } : undefined;
    case 'promotion.waiting': {
      const gates = Array.isArray(d.gates) ? (d.gates as GateStatus[]) : [];
      const approvals = gates.find((g) => g.gate === 'approvals' && !g.passed);
      // Once per promotion: when it starts to wait for approvals, not again as each approval comes in.
      if (!approvals || !approvals.detail.startsWith('0 of ')) return undefined;
      return { ...base, topic: 'approval', severity: 'warning', title: `${project}: v${version} to ${environment} needs approval`, text: `${approvals.detail}. Approve with \`slipway approve ${String(d.promotionId)}\` or on the dashboard.` };
    }
    case 'drift.detected':
      return { ...base, topic: 'drift', severity: 'warning', title: `${project}: ${environment} drifted from v${version}`, text: event.message };
    default:
      return undefined;
  }
}
