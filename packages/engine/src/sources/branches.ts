import { matchesAny, pushTriggers, type Project } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { queueRun } from '../flow/queue-run.js';
import { workflowsAt } from '../flow/workflow-files.js';
import type { JobHandler } from '../scheduler/worker.js';

/** The key under which the first look at a project's branches is recorded: a baseline, on which nothing runs. */
const baseline = '';

/**
 * Looks at a project's CI branches (its `ciBranches` patterns, never the release branch) with one `ls-remote --heads`, and
 * queues a `branch.push` for each whose head moved since it was last seen. The first look only records the heads: a
 * project that starts following `feature/*` does not run every existing feature branch at once.
 */
export async function checkBranches(ctx: EngineContext, project: Project): Promise<number> {
  if (project.ciBranches.length === 0) return 0;
  const heads = await ctx.source.remoteHeads(sourceRef(project));
  const seen = await ctx.store.getBranchHeads(project.id);
  const followed = Object.entries(heads).filter(([branch]) => branch !== project.branch && matchesAny(branch, project.ciBranches));
  if (seen[baseline] === undefined) {
    for (const [branch, sha] of followed) await ctx.store.setBranchHead(project.id, branch, sha);
    await ctx.store.setBranchHead(project.id, baseline, 'baseline');
    return 0;
  }
  let queued = 0;
  for (const [branch, sha] of followed) {
    if (seen[branch] === sha) continue;
    await ctx.enqueue('branch.push', { projectId: project.id, branch, sha, before: seen[branch] ?? null }, { dedupeKey: `branch:${project.id}:${branch}:${sha}` });
    queued++;
  }
  return queued;
}

/**
 * A push to a CI branch: fetch it, and queue the workflows whose `on.push` filters match the branch and the paths changed
 * since its previous head (or, for a new branch, since it left the release branch). These runs make no release.
 */
export function createBranchPushHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const { projectId, branch, sha, before } = item.payload as { projectId: string; branch: string; sha: string; before: string | null };
    const project = await ctx.store.getProject(projectId);
    if (!project) return;
    const ref = sourceRef(project);
    await ctx.source.fetchRef(ref, `refs/heads/${branch}`, `refs/slipway/branches/${branch}`);
    const from = before ?? (project.lastCommitSha ? await ctx.source.mergeBase(ref, project.lastCommitSha, sha) : null);
    const changed = await ctx.source.changedFiles(ref, from, sha);
    const workflows: { workflow: string; triggered: boolean; reason: string; runId?: string }[] = [];
    for (const { file, workflow } of await workflowsAt(ctx, project, sha)) {
      const decision = workflow ? pushTriggers(workflow, { branch, changed: from === null ? null : changed }) : { triggered: true, reason: 'workflow is invalid' };
      const run = decision.triggered ? await queueRun(ctx, project, { file, workflow, sha, trigger: 'push', branch, reason: `push to ${branch}: ${decision.reason}` }) : undefined;
      workflows.push({ workflow: file, ...decision, ...(run ? { runId: run.id } : {}) });
    }
    await ctx.bus.emit({
      kind: 'commit.seen',
      projectId: project.id,
      subject: `commit:${sha}`,
      message: `commit ${sha.slice(0, 7)} on ${branch}: ${workflows.filter((w) => w.runId).length} run(s) queued (a CI branch: no release)`,
      data: { sha, branch, base: from, workflows, changedFiles: changed.length },
    });
    await ctx.store.setBranchHead(project.id, branch, sha);
  };
}

/** A push to a CI branch the git host told us about (a verified webhook): queued at once, deduplicated by commit. */
export async function handleBranchPush(ctx: EngineContext, project: Project, branch: string, sha: string): Promise<boolean> {
  if (branch === project.branch || !matchesAny(branch, project.ciBranches)) return false;
  const seen = await ctx.store.getBranchHeads(project.id);
  if (seen[branch] === sha) return false;
  await ctx.enqueue('branch.push', { projectId: project.id, branch, sha, before: seen[branch] ?? null }, { dedupeKey: `branch:${project.id}:${branch}:${sha}` });
  return true;
}
