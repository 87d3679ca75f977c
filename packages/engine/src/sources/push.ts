import { SlipwayError } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import type { FetchLatest } from './coalesced-fetch.js';

/** What a push notice led to: the commit was queued, or it is the one already processed. */
export type PushOutcome = { queued: true; sha: string } | { queued: false; reason: string };

/**
 * A push the git host told us about (a verified webhook): fetch at once and queue `commit.process` for the branch head,
 * skipping the ls-remote a poll starts with. Deduplicated by commit: a sha already processed costs one store read, and
 * one already queued is not queued twice (the queue's dedupe key is the poller's).
 */
export async function handlePush(ctx: EngineContext, fetchLatest: FetchLatest, projectId: string, sha: string): Promise<PushOutcome> {
  const project = await ctx.store.getProject(projectId);
  if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${projectId} not found`);
  if (project.lastCommitSha === sha) return { queued: false, reason: `commit ${sha.slice(0, 7)} is already processed` };
  const head = await fetchLatest(sourceRef(project));
  if (head === project.lastCommitSha) return { queued: false, reason: `the branch head ${head.slice(0, 7)} is already processed` };
  await ctx.enqueue('commit.process', { projectId: project.id, sha: head }, { dedupeKey: `commit:${project.id}:${head}` });
  return { queued: true, sha: head };
}
