/** What a notification says: one of promotions, rollbacks, approvals needed and drift, in words and with a link. */
export interface Notification {
  topic: 'promotion' | 'rollback' | 'approval' | 'drift';
  severity: 'good' | 'warning' | 'danger';
  title: string;
  text: string;
  project: string;
  environment: string | null;
  version: number | null;
  /** The dashboard page that shows it, when the server knows its URL. */
  url: string | null;
}

/**
 * The Notifier port: sends a notification to one target (a chat webhook). It throws on failure; an error with
 * `transient: false` (a 4xx other than 408 and 429) is not retried.
 */
export interface Notifier {
  send(target: { url: string }, notification: Notification, signal: AbortSignal): Promise<void>;
}

/** The project secret that holds the webhook URL notifications go to (a Slack, Mattermost or Rocket.Chat incoming webhook). */
export const notifyWebhookSecret = 'NOTIFY_WEBHOOK_URL';
