import type { DesiredState, ObservedState, Plan, PlanAction } from './contract.js';

/**
 * The default, pure planner: create what is missing, replace what runs another revision or is unhealthy with no
 * instance serving, and leave the rest alone. Services observed but not desired are not deleted here: pruning is
 * an explicit decision of the reconciler.
 */
export function planServices(desired: DesiredState, observed: ObservedState): Plan {
  const live = new Map(observed.services.map((s) => [s.service, s]));
  const actions: PlanAction[] = desired.services.map((want) => {
    const have = live.get(want.service);
    if (!have || have.instances.length === 0 || have.revision === null) {
      return { type: 'create', service: want.service, reason: 'not running', desired: want };
    }
    if (have.revision !== want.revision) {
      return { type: 'replace', service: want.service, reason: `revision ${short(have.revision)} → ${short(want.revision)}`, desired: want };
    }
    if (have.health === 'degraded' || have.health === 'missing') {
      return { type: 'restart', service: want.service, reason: `instance is ${have.health}`, desired: want };
    }
    return { type: 'noop', service: want.service, reason: 'up to date' };
  });
  return { environment: desired.environment, actions };
}

const short = (rev: string) => rev.slice(0, 8);
