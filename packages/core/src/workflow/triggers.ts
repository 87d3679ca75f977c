import { matchesAny } from '../flow/glob.js';
import type { Workflow } from './schema.js';

export interface PushEvent {
  branch: string;
  /** Changed paths, or null when unknown (the first commit seen): path filters then match. */
  changed: readonly string[] | null;
}

/** Whether a push triggers a workflow, with the reason in words. */
export function pushTriggers(wf: Workflow, push: PushEvent): { triggered: boolean; reason: string } {
  const on = wf.on as Record<string, Record<string, string[] | undefined> | undefined>;
  if (!('push' in on)) return { triggered: false, reason: 'workflow has no push trigger' };
  const filter = on.push ?? {};
  // As in GitHub Actions: with only tag filters, pushes to branches do not trigger the workflow.
  if (filter.tags && !filter.branches && !filter['branches-ignore']) return { triggered: false, reason: 'workflow runs on tag pushes only' };
  if (filter.branches && !matchesAny(push.branch, filter.branches)) return { triggered: false, reason: `branch ${push.branch} not in on.push.branches` };
  if (filter['branches-ignore'] && matchesAny(push.branch, filter['branches-ignore'])) return { triggered: false, reason: `branch ${push.branch} ignored` };
  if (push.changed === null) return { triggered: true, reason: 'first commit seen' };
  if (filter.paths) {
    const hit = push.changed.find((p) => matchesAny(p, filter.paths!));
    return hit ? { triggered: true, reason: `${hit} matches on.push.paths` } : { triggered: false, reason: 'no changed path matches on.push.paths' };
  }
  if (filter['paths-ignore']) {
    const hit = push.changed.find((p) => !matchesAny(p, filter['paths-ignore']!));
    return hit ? { triggered: true, reason: `${hit} changed` } : { triggered: false, reason: 'every changed path is in on.push.paths-ignore' };
  }
  return { triggered: true, reason: 'push' };
}
