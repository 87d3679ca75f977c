import type { SlipwayConfig } from '../config/schema.js';
import { workflowDirs } from '../config/workflow-dirs.js';
import type { Workflow } from '../workflow/schema.js';
import { pushTriggers } from '../workflow/triggers.js';
import { selectServices, type ServiceTrigger } from './path-filter.js';

/** What the runs of a commit are decided from: its config and workflows, and what changed since the last released commit. */
export interface TriggerInputs {
  config: SlipwayConfig;
  workflows: { file: string; workflow: Workflow | undefined }[];
  /** Paths changed since the last released commit; null when there is none (everything counts as changed). */
  changed: string[] | null;
  /** Services whose entry in slipway.yaml differs from the one at the last released commit. */
  configChanged: string[];
}

/**
 * The trigger inputs commit.process read from git at `sha` (against the release at `base`), and the pushes after it
 * that webhooks queued from their payloads alone, oldest first. Kept per project in memory; see ADR 014.
 */
export interface TriggerSnapshot extends TriggerInputs {
  sha: string;
  base: string | null;
  pushes: { sha: string; files: string[] }[];
}

/** A push as its payload tells it: the old head and every path its commits touched (null when the list may be incomplete). */
export interface PushedChanges {
  before: string | null;
  files: string[] | null;
}

export interface WorkflowDecision {
  file: string;
  workflow: Workflow | undefined;
  triggered: boolean;
  reason: string;
}

/** Pushes kept after the last commit read from git; beyond them a webhook waits for git again. */
export const maxSnapshotPushes = 200;

/** The newest commit a snapshot describes. */
export const snapshotHead = (s: TriggerSnapshot): string => s.pushes.at(-1)?.sha ?? s.sha;

/** Which services a commit rebuilds and which workflows it runs. An invalid workflow is queued, to fail with its errors. */
export function decideTriggers(inputs: TriggerInputs, branch: string): { services: ServiceTrigger[]; workflows: WorkflowDecision[] } {
  const services = selectServices(inputs.config, inputs.changed, new Set(inputs.configChanged));
  const workflows = inputs.workflows.map(({ file, workflow }) => ({
    file,
    workflow,
    ...(workflow ? pushTriggers(workflow, { branch, changed: inputs.changed }) : { triggered: true, reason: 'workflow is invalid' }),
  }));
  return { services, workflows };
}

/**
 * The snapshot with the push of `sha` added, and the trigger inputs of `sha`; or why the payload cannot tell. The push
 * must continue the snapshot's head, list every file, and leave slipway.yaml and the workflows alone (those are read
 * from git). The last release must be on the snapshot's chain: its changes since then are the union of the files of the
 * pushes after it (a file changed and changed back still counts).
 */
export function advanceSnapshot(snapshot: TriggerSnapshot, sha: string, push: PushedChanges, lastRelease: string | null): { snapshot: TriggerSnapshot; inputs: TriggerInputs } | { reason: string } {
  const head = snapshotHead(snapshot);
  if (push.before !== head) return { reason: `the push starts at ${push.before?.slice(0, 7) ?? 'a new branch'}, not at ${head.slice(0, 7)}` };
  if (push.files === null) return { reason: 'the payload may not list every changed file' };
  const dirs = workflowDirs(snapshot.config.workflows.githubDir).map((d) => `${d}/`);
  const definition = push.files.find((f) => f === 'slipway.yaml' || dirs.some((d) => f.startsWith(d)));
  if (definition !== undefined) return { reason: `${definition} changed` };
  if (snapshot.pushes.length >= maxSnapshotPushes) return { reason: `${maxSnapshotPushes} pushes since the last commit read from git` };
  const pushes = [...snapshot.pushes, { sha, files: push.files }];
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  const { config, workflows } = snapshot;
  const next = { ...snapshot, pushes };
  if (lastRelease === snapshot.base) {
    const changed = snapshot.changed === null ? null : union([snapshot.changed, ...pushes.map((p) => p.files)]);
    return { snapshot: next, inputs: { config, workflows, changed, configChanged: snapshot.configChanged } };
  }
  // Released since: slipway.yaml is the same at the release as now, so no service's config changed.
  const since = lastRelease === snapshot.sha ? 0 : pushes.findIndex((p) => p.sha === lastRelease) + 1;
  if (since === 0 && lastRelease !== snapshot.sha) return { reason: `the last release ${lastRelease?.slice(0, 7) ?? '(none)'} is not a commit the snapshot knows` };
  return { snapshot: next, inputs: { config, workflows, changed: union(pushes.slice(since).map((p) => p.files)), configChanged: [] } };
}

/**
 * The snapshot after commit.process read `fresh.sha` from git: the fresh one, keeping the pushes a webhook added after
 * that commit. Undefined when the current snapshot is past the fresh commit but does not know it (keep the current one).
 */
export function rebaseSnapshot(current: TriggerSnapshot | undefined, fresh: TriggerSnapshot, previousHead: string | null): TriggerSnapshot | undefined {
  if (!current) return fresh;
  const at = current.pushes.findIndex((p) => p.sha === fresh.sha);
  if (at >= 0) return { ...fresh, pushes: current.pushes.slice(at + 1) };
  const head = snapshotHead(current);
  return head === fresh.sha || head === previousHead ? fresh : undefined;
}
