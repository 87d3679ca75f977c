import { asRecord } from './checked-schema.js';
import { matchesFilter } from './filter-patterns.js';
import type { Workflow } from './schema.js';
import type { PullRequestTrigger, PushTrigger } from './trigger-schema.js';

/** An event that may trigger workflows. */
export interface TriggerEvent {
  /** push, pull_request, pull_request_target, workflow_dispatch, schedule, or any other GitHub event name. */
  name: 'push' | 'pull_request' | 'pull_request_target' | 'workflow_dispatch' | 'schedule' | (string & {});
  /** The branch pushed to, or for a pull request its base branch (the one it would merge into). */
  branch?: string;
  /** The tag pushed, for a tag push. With neither branch nor tag, branch and tag filters are not checked. */
  tag?: string;
  /** Changed paths; null when unknown (the first commit seen), and then path filters match. */
  changed?: readonly string[] | null;
  /** The activity type of the event, such as opened or synchronize for a pull request. */
  types?: string;
}

/** Whether an event triggers a workflow, with the reason in words. */
export interface TriggerDecision {
  triggered: boolean;
  reason: string;
}

/** GitHub runs pull_request workflows on these activity types when `types` is not given. */
const defaultPullRequestTypes = ['opened', 'synchronize', 'reopened'];

const yes = (reason: string): TriggerDecision => ({ triggered: true, reason });
const no = (reason: string): TriggerDecision => ({ triggered: false, reason });

/**
 * Whether an event triggers a workflow, following GitHub Actions: branch, tag and path filters (with `!` patterns in
 * order), activity types, and the rule that a push filter naming only branches ignores tag pushes and the reverse.
 */
export function eventTriggers(wf: Pick<Workflow, 'on'>, event: TriggerEvent): TriggerDecision {
  if (!Object.hasOwn(wf.on, event.name)) return no(`workflow has no ${event.name} trigger`);
  const config = wf.on[event.name];
  if (event.name === 'push') return pushDecision((config ?? {}) as PushTrigger, event);
  if (event.name === 'pull_request' || event.name === 'pull_request_target') return pullRequestDecision((config ?? {}) as PullRequestTrigger, event);
  const types = asRecord(config)?.types;
  if (event.types !== undefined && Array.isArray(types) && !types.includes(event.types)) return no(`activity type ${event.types} not in on.${event.name}.types`);
  return yes(event.name);
}

function pushDecision(filter: PushTrigger, event: TriggerEvent): TriggerDecision {
  const branchFiltered = Boolean(filter.branches || filter['branches-ignore']);
  const tagFiltered = Boolean(filter.tags || filter['tags-ignore']);
  if (event.tag !== undefined) {
    if (branchFiltered && !tagFiltered) return no('workflow runs on branch pushes only');
    if (filter.tags && !matchesFilter(event.tag, filter.tags)) return no(`tag ${event.tag} not in on.push.tags`);
    if (filter['tags-ignore'] && matchesFilter(event.tag, filter['tags-ignore'])) return no(`tag ${event.tag} ignored`);
    // GitHub does not evaluate path filters for tag pushes.
    return yes('push');
  }
  if (event.branch !== undefined) {
    if (tagFiltered && !branchFiltered) return no('workflow runs on tag pushes only');
    if (filter.branches && !matchesFilter(event.branch, filter.branches)) return no(`branch ${event.branch} not in on.push.branches`);
    if (filter['branches-ignore'] && matchesFilter(event.branch, filter['branches-ignore'])) return no(`branch ${event.branch} ignored`);
  }
  // The first commit seen has no diff to filter: run, so that nothing escapes CI.
  if (event.changed === null) return yes('first commit seen');
  return pathDecision(filter, 'push', event.changed);
}

function pullRequestDecision(filter: PullRequestTrigger, event: TriggerEvent): TriggerDecision {
  const key = `on.${event.name}`;
  const types = filter.types ?? defaultPullRequestTypes;
  if (event.types !== undefined && !types.includes(event.types)) {
    return no(filter.types ? `activity type ${event.types} not in ${key}.types` : `activity type ${event.types} is not one of the defaults (${defaultPullRequestTypes.join(', ')})`);
  }
  if (event.branch !== undefined) {
    if (filter.branches && !matchesFilter(event.branch, filter.branches)) return no(`base branch ${event.branch} not in ${key}.branches`);
    if (filter['branches-ignore'] && matchesFilter(event.branch, filter['branches-ignore'])) return no(`base branch ${event.branch} ignored`);
  }
  return pathDecision(filter, event.name, event.changed);
}

function pathDecision(filter: { paths?: string[] | undefined; 'paths-ignore'?: string[] | undefined }, name: string, changed: readonly string[] | null | undefined): TriggerDecision {
  if (!filter.paths && !filter['paths-ignore']) return yes(name);
  if (!changed) return yes('changed paths unknown');
  if (filter.paths) {
    const hit = changed.find((p) => matchesFilter(p, filter.paths!));
    return hit ? yes(`${hit} matches on.${name}.paths`) : no(`no changed path matches on.${name}.paths`);
  }
  const hit = changed.find((p) => !matchesFilter(p, filter['paths-ignore']!));
  return hit ? yes(`${hit} changed`) : no(`every changed path is in on.${name}.paths-ignore`);
}
