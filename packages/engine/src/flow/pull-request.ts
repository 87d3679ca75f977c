import { isFinished, planMarkdown, SlipwayError, type PlanPreview, type Project, type PullRequestEvent, type RunDetail } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { cancelRun } from '../runs/cancellation.js';
import { computePlan } from './plan-preview.js';
import { queueRun } from './queue-run.js';
import { workflowsAt } from './workflow-files.js';

/** The host's ref for a pull request's head: GitHub and Gitea keep refs/pull/N/head, GitLab refs/merge-requests/N/head. */
const pullRefs = (n: number) => [`refs/pull/${n}/head`, `refs/merge-requests/${n}/head`];

/** Fetches a pull request's head commit into the mirror (from the fork when it comes from one) and returns it. */
export async function fetchPullRequestHead(ctx: EngineContext, project: Project, pr: Pick<PullRequestEvent, 'number' | 'headRef' | 'headRepoUrl' | 'fork'>): Promise<string> {
  const ref = sourceRef(project);
  const local = `refs/slipway/pr/${pr.number}`;
  if (pr.fork && pr.headRepoUrl) return ctx.source.fetchRef(ref, `refs/heads/${pr.headRef}`, local, pr.headRepoUrl);
  let last: unknown;
  for (const remote of [...pullRefs(pr.number), ...(pr.headRef ? [`refs/heads/${pr.headRef}`] : [])]) {
    try {
      return await ctx.source.fetchRef(ref, remote, local);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/**
 * A pull request was opened or updated: fetch its head, queue the workflows whose `on.pull_request` matches (runs of a
 * fork get no secrets, and no run of a pull request makes a release), cancel the runs of its older head, and compute
 * the plan preview, announced as a `plan.created` event (the git-host feedback posts it as a comment).
 */
export async function handlePullRequest(ctx: EngineContext, projectIdOrName: string, pr: PullRequestEvent): Promise<{ runs: RunDetail[] }> {
  const project = await ctx.store.getProject(projectIdOrName);
  if (!project) return { runs: [] };
  await ctx.bus.emit({ kind: 'pull_request.received', projectId: project.id, subject: `pr:${pr.number}`, message: `pull request #${pr.number} "${pr.title}" ${pr.action} (${pr.headRef} → ${pr.baseRef}${pr.fork ? ', from a fork' : ''})`, data: { number: pr.number, action: pr.action, headSha: pr.headSha, headRef: pr.headRef, baseRef: pr.baseRef, fork: pr.fork } });
  if (!['opened', 'synchronize', 'reopened'].includes(pr.action)) return { runs: [] };
  const ref = sourceRef(project);
  const headSha = await fetchPullRequestHead(ctx, project, pr);
  const baseSha = pr.baseRef === project.branch && project.lastCommitSha ? project.lastCommitSha : await ctx.source.fetchRef(ref, `refs/heads/${pr.baseRef}`, `refs/slipway/branches/${pr.baseRef}`);
  // Runs of this pull request at an older head are out of date.
  for (const old of await ctx.store.listRuns({ projectId: project.id, limit: 200 })) {
    if (old.pullRequest?.number === pr.number && old.commitSha !== headSha && !isFinished(old.status) && old.status !== 'cancelling') {
      await cancelRun(ctx, old.id, `superseded by ${headSha.slice(0, 7)}, the new head of pull request #${pr.number}`).catch(() => {});
    }
  }
  const plan = await computePlan(ctx, project, { head: { ref: pr.headRef, sha: headSha }, base: { ref: pr.baseRef, sha: baseSha }, pullRequest: { action: pr.action } });
  const runs: RunDetail[] = [];
  const pullRequest = { number: pr.number, headRef: pr.headRef, baseRef: pr.baseRef, fork: pr.fork, url: pr.url, title: pr.title };
  const existing = await ctx.store.listRuns({ projectId: project.id, commitSha: headSha, limit: 100 });
  for (const { file, workflow } of await workflowsAt(ctx, project, headSha)) {
    const decision = plan.workflows.find((w) => w.workflow === file);
    if (!workflow || !decision?.triggered) continue;
    // A redelivered or repeated event for the same head does not run the workflow twice.
    if (existing.some((r) => r.workflow === file && r.pullRequest?.number === pr.number)) continue;
    runs.push(await queueRun(ctx, project, { file, workflow, sha: headSha, trigger: 'pull_request', branch: pr.headRef, pullRequest, reason: `pull request #${pr.number} ${pr.action}: ${decision.reason}` }));
  }
  const link = ctx.serverUrl?.() ? `${ctx.serverUrl()}/#/runs` : undefined;
  await ctx.bus.emit({
    kind: 'plan.created',
    projectId: project.id,
    subject: `pr:${pr.number}`,
    message: `plan for pull request #${pr.number}: ${plan.services.filter((s) => s.rebuild).map((s) => s.service).join(', ') || 'no service'} rebuilt; ${runs.length} run(s) queued`,
    data: { pullRequest: pr.number, sha: headSha, markdown: planMarkdown(plan, link), plan },
  });
  return { runs };
}

/**
 * The plan preview of a branch or a pull request against the project's branch, on demand (`slipway plan`, the API, the
 * dashboard): the head is fetched into the mirror, nothing is queued.
 */
export async function planPreview(ctx: EngineContext, projectIdOrName: string, target: { branch: string } | { pullRequest: number }): Promise<PlanPreview> {
  const project = await ctx.store.getProject(projectIdOrName);
  if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${projectIdOrName} not found`, { hint: 'List projects with `slipway projects list`.' });
  const ref = sourceRef(project);
  const baseSha = project.lastCommitSha ?? (await ctx.source.fetch(ref));
  if ('branch' in target) {
    const sha = await ctx.source.fetchRef(ref, `refs/heads/${target.branch}`, `refs/slipway/branches/${target.branch}`);
    return computePlan(ctx, project, { head: { ref: target.branch, sha }, base: { ref: project.branch, sha: baseSha } });
  }
  const sha = await fetchPullRequestHead(ctx, project, { number: target.pullRequest, headRef: '', headRepoUrl: null, fork: false });
  return computePlan(ctx, project, { head: { ref: `#${target.pullRequest}`, sha }, base: { ref: project.branch, sha: baseSha }, pullRequest: { action: 'synchronize' } });
}
