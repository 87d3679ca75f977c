import { notificationFor, notifyWebhookSecret, toSlipwayError, type Notifier, type Project, type SlipwayEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { createProjectQueue } from '../events/project-queue.js';
import { defaultRetry, withRetry, type RetryPolicy } from '../retry.js';

export interface Notifications {
  start(): void;
  /** Stops listening, cuts retries short and waits for the sends in flight. */
  stop(): Promise<void>;
}

/**
 * Sends promotions, rollbacks, approvals needed and drift to the project's chat webhook (the project secret
 * NOTIFY_WEBHOOK_URL) through the Notifier port. The bus listener only queues the send, so a slow or failing webhook
 * never holds up a deploy; sends are serialized per project (in order) and retried with backoff. A send that still
 * fails is recorded as `notification.failed`, a sent one as `notification.sent`; neither names the URL.
 */
export function createNotifications(ctx: Pick<EngineContext, 'store' | 'bus' | 'logger' | 'secrets' | 'serverUrl'>, notifier: Notifier, retry: RetryPolicy = defaultRetry): Notifications {
  const queue = createProjectQueue(ctx.logger, 'notification');
  const stopping = new AbortController();
  let unsubscribe: (() => void) | undefined;

  async function send(event: SlipwayEvent, project: Project): Promise<void> {
    const found = notificationFor(event, project.name);
    if (!found) return;
    const url = (await ctx.secrets?.(project.id, [notifyWebhookSecret]))?.[notifyWebhookSecret];
    if (!url) return;
    const base = ctx.serverUrl?.().replace(/\/+$/, '');
    const notification = { ...found, url: base ? `${base}/#/` : null };
    const data = { topic: notification.topic, environment: notification.environment, version: notification.version, cause: event.seq };
    try {
      await withRetry(() => notifier.send({ url }, notification, stopping.signal), retry, stopping.signal);
      await ctx.bus.emit({ kind: 'notification.sent', projectId: project.id, subject: event.subject, message: `notified: ${notification.title}`, data });
    } catch (err) {
      // The notifier never puts the URL in a message; this is the second lock on that door.
      const message = toSlipwayError(err).message.split(url).join('***');
      const status = (err as { status?: unknown }).status;
      const attempts = (err as { attempts?: unknown }).attempts;
      ctx.logger.warn({ projectId: project.id, event: event.seq }, `could not send the notification "${notification.title}"`);
      await ctx.bus.emit({ kind: 'notification.failed', projectId: project.id, subject: event.subject, message: `could not send the notification "${notification.title}": ${message}`, data: { ...data, httpStatus: typeof status === 'number' ? status : null, attempts: typeof attempts === 'number' ? attempts : 1, error: message } });
    }
  }

  return {
    start() {
      unsubscribe = ctx.bus.subscribe((event) => {
        if (!event.projectId || stopping.signal.aborted || event.kind.startsWith('notification.')) return;
        if (!notificationFor(event, '')) return;
        const projectId = event.projectId;
        queue.add(projectId, async () => {
          const project = await ctx.store.getProject(projectId);
          if (project) await send(event, project);
        });
      });
    },
    async stop() {
      unsubscribe?.();
      await queue.drain(stopping);
    },
  };
}
