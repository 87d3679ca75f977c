import { notificationFor, notifyWebhookSecret, type Notifier, type Project, type SlipwayEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { createProjectSubscriber, type ProjectSubscriber } from '../events/project-subscriber.js';
import { defaultRetry, failureOf, withRetry, type RetryPolicy } from '../retry.js';

export type Notifications = ProjectSubscriber;

/**
 * Sends promotions, rollbacks, approvals needed and drift to the project's chat webhook (the project secret
 * NOTIFY_WEBHOOK_URL) through the Notifier port. The bus listener only queues the send, so a slow or failing webhook
 * never holds up a deploy; sends are serialized per project (in order) and retried with backoff. A send that still
 * fails is recorded as `notification.failed`, a sent one as `notification.sent`; neither names the URL.
 */
export function createNotifications(ctx: Pick<EngineContext, 'store' | 'bus' | 'logger' | 'secrets' | 'serverUrl'>, notifier: Notifier, retry: RetryPolicy = defaultRetry): Notifications {
  const stopping = new AbortController();

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
      const { message, httpStatus, attempts } = failureOf(err, url);
      ctx.logger.warn({ projectId: project.id, event: event.seq }, `could not send the notification "${notification.title}"`);
      await ctx.bus.emit({ kind: 'notification.failed', projectId: project.id, subject: event.subject, message: `could not send the notification "${notification.title}": ${message}`, data: { ...data, httpStatus, attempts, error: message } });
    }
  }

  // Its own events are never worth a notification.
  return createProjectSubscriber(ctx, 'notification', (event) => !event.kind.startsWith('notification.') && notificationFor(event, '') !== undefined, send, stopping);
}
