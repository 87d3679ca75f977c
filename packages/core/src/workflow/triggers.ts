import { eventTriggers, type TriggerDecision } from './event-triggers.js';
import type { Workflow } from './schema.js';

export interface PushEvent {
  branch: string;
  /** Changed paths, or null when unknown (the first commit seen): path filters then match. */
  changed: readonly string[] | null;
}

/** Whether a push to a branch triggers a workflow, with the reason in words. A shorthand of {@link eventTriggers}. */
export function pushTriggers(wf: Pick<Workflow, 'on'>, push: PushEvent): TriggerDecision {
  return eventTriggers(wf, { name: 'push', branch: push.branch, changed: push.changed });
}
