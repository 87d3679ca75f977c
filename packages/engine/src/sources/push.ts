import { advanceSnapshot, decideTriggers, SlipwayError, type Project, type PushedChanges } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { queueRun } from '../flow/queue-run.js';

/** What a push notice led to: the commit was queued, or it is the one already processed. */
export type PushOutcome = { queued: true; sha: string; runs?: number } | { queued: false; reason: string };

/**
 * A push the git host told us about (a verified webhook). When the payload lists every changed file and the push
 * continues the last commit seen, its runs are queued at once from the project's trigger snapshot, and the commit is
 * fetched and checked in `commit.process` (ADR 014). Otherwise it is fetched now and `commit.process` decides, skipping
 * the ls-remote a poll starts with. Deduplicated by commit: a sha already processed costs one store read, and one
 * already queued is not queued twice (the queue's dedupe key is the poller's).
 */
export async function handlePush(ctx: EngineContext, projectId: string, sha: string, changes?: PushedChanges): Promise<PushOutcome> {
  const project = await ctx.store.getProject(projectId);
  if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${projectId} not found`);
  if (project.lastCommitSha === sha) return { queued: false, reason: `commit ${sha.slice(0, 7)} is already processed` };
  const early = changes ? await queueFromPayload(ctx, project, sha, changes) : undefined;
  if (early) return early;
  const head = await ctx.fetchLatest(sourceRef(project));
  if (head === project.lastCommitSha) return { queued: false, reason: `the branch head ${head.slice(0, 7)} is already processed` };
  await ctx.enqueue('commit.process', { projectId: project.id, sha: head }, { dedupeKey: `commit:${project.id}:${head}` });
  return { queued: true, sha: head };
}

/** Queues the runs of `sha` from the payload and the snapshot of its parent push; undefined when the payload cannot tell. */
async function queueFromPayload(ctx: EngineContext, project: Project, sha: string, changes: PushedChanges): Promise<PushOutcome | undefined> {
  const snapshot = ctx.snapshots.get(project.id);
  if (!snapshot) return undefined;
  const [lastRelease] = await ctx.store.listReleases({ projectId: project.id, limit: 1 });
  // Another webhook of the project may have moved the snapshot meanwhile: then git decides.
  if (ctx.snapshots.get(project.id) !== snapshot) return undefined;
  const next = advanceSnapshot(snapshot, sha, changes, lastRelease?.commitSha ?? null);
  if ('reason' in next) return undefined;
  ctx.snapshots.set(project.id, next.snapshot);
  let runs = 0;
  for (const d of decideTriggers(next.inputs, project.branch).workflows) {
    if (!d.triggered) continue;
    await queueRun(ctx, project, { file: d.file, workflow: d.workflow, sha, trigger: 'push', reason: `${d.reason} (from the webhook payload)` });
    runs++;
  }
  await ctx.enqueue('commit.process', { projectId: project.id, sha }, { dedupeKey: `commit:${project.id}:${sha}` });
  return { queued: true, sha, runs };
}
