import { gitHostTokenSecret, type GitHost, type GitHostKind, type GitHostTarget, type Project, type SlipwayEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { createProjectSubscriber, type ProjectSubscriber } from '../events/project-subscriber.js';
import { defaultRetry, failureOf, withRetry, type RetryPolicy } from '../retry.js';
import { deploymentStatus, isDeploymentFeedbackEvent, isRunFeedbackEvent, runStatus, type StatusIntent } from './status-for-event.js';

/** The marker of the plan preview comment: one per pull request, updated on each new plan. */
export const planCommentMarker = 'slipway-plan';

export interface FeedbackOptions {
  hosts: Record<GitHostKind, GitHost>;
  retry?: RetryPolicy;
}

/** Posts commit statuses and plan comments to a project's git host as events happen. */
export type Feedback = ProjectSubscriber;

type Post = { what: 'status'; intent: StatusIntent } | { what: 'comment'; pullRequest: number; sha: string; markdown: string };

/**
 * The feedback subscriber. A listener on the event bus only queues work, so a slow or failing host never holds up the
 * run or deployment that emitted the event. Posts are serialized per project, which keeps pending before success on the
 * host. A host that still fails after the retries is recorded as a `feedback.failed` event with its HTTP status; the
 * token (the project secret GIT_HOST_TOKEN) is read per post and appears in no event, log or error.
 */
export function createFeedback(ctx: Pick<EngineContext, 'store' | 'bus' | 'logger' | 'secrets' | 'serverUrl'>, options: FeedbackOptions): Feedback {
  const retry = options.retry ?? defaultRetry;
  // Aborted when stop() stops waiting: the last statuses of a stopping server get a short grace, then retries end.
  const stopping = new AbortController();

  async function postFor(event: SlipwayEvent): Promise<Post | undefined> {
    if (isRunFeedbackEvent(event.kind) && event.subject?.startsWith('run:')) {
      const run = await ctx.store.getRun(event.subject.slice('run:'.length));
      const intent = run && runStatus(event.kind, run, typeof event.data.durationMs === 'number' ? event.data.durationMs : undefined);
      return intent && { what: 'status', intent };
    }
    if (isDeploymentFeedbackEvent(event.kind)) {
      const intent = deploymentStatus(event.kind, event.data);
      return intent && { what: 'status', intent };
    }
    if (event.kind === 'plan.created') {
      const { pullRequest, sha, markdown } = event.data;
      if (typeof pullRequest === 'number' && typeof markdown === 'string') return { what: 'comment', pullRequest, sha: typeof sha === 'string' ? sha : '', markdown };
    }
    return undefined;
  }

  async function handle(event: SlipwayEvent, project: Project) {
    const settings = project.gitHost;
    if (!settings) return;
    const post = await postFor(event);
    if (!post) return;
    const token = (await ctx.secrets?.(project.id, [gitHostTokenSecret]))?.[gitHostTokenSecret];
    if (!token) return;
    const host = options.hosts[settings.kind];
    const target: GitHostTarget = { apiUrl: settings.apiUrl, repository: settings.repository, token };
    const base = ctx.serverUrl?.().replace(/\/+$/, '') ?? '';
    try {
      await withRetry(
        () =>
          post.what === 'status'
            ? host.postStatus(target, { sha: post.intent.sha, state: post.intent.state, context: post.intent.context, description: post.intent.description, targetUrl: `${base}/${post.intent.route}` }, stopping.signal)
            : host.postComment(target, { pullRequest: post.pullRequest, body: post.markdown, marker: planCommentMarker }, stopping.signal).then(() => undefined),
        retry,
        stopping.signal,
      );
    } catch (err) {
      const { message, code, httpStatus, attempts } = failureOf(err, token);
      const about = post.what === 'status' ? `status ${post.intent.context} (${post.intent.state}) for ${post.intent.sha.slice(0, 7)}` : `plan comment on pull request #${post.pullRequest}`;
      const data = {
        host: settings.kind,
        target: post.what,
        ...(post.what === 'status' ? { context: post.intent.context, state: post.intent.state, sha: post.intent.sha } : { pullRequest: post.pullRequest, sha: post.sha }),
        httpStatus,
        attempts,
        code,
        error: message,
        cause: event.seq,
      };
      ctx.logger.warn({ projectId: project.id, host: settings.kind, httpStatus: data.httpStatus, event: event.seq }, `could not post the ${about} to ${settings.kind}`);
      await ctx.bus.emit({ kind: 'feedback.failed', projectId: project.id, subject: event.subject, message: `could not post the ${about} to ${settings.kind}: ${message}`, data });
    }
  }

  return createProjectSubscriber(
    ctx,
    'feedback to the git host',
    (event) => isRunFeedbackEvent(event.kind) || isDeploymentFeedbackEvent(event.kind) || event.kind === 'plan.created',
    handle,
    stopping,
  );
}
