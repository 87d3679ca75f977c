import { SlipwayError, type Notification, type Notifier } from '@slipway/core';

const colors: Record<Notification['severity'], string> = { good: '#1a7f37', warning: '#b7791f', danger: '#b42318' };
const timeoutMs = 10_000;

/** Slack's incoming-webhook JSON (also read by Mattermost and Rocket.Chat): a text line and one colored attachment. */
export function slackPayload(n: Notification): Record<string, unknown> {
  const fields = [
    { title: 'Project', value: n.project, short: true },
    ...(n.environment ? [{ title: 'Environment', value: n.environment, short: true }] : []),
    ...(n.version !== null ? [{ title: 'Release', value: `v${n.version}`, short: true }] : []),
  ];
  return {
    text: n.title,
    attachments: [{ color: colors[n.severity], title: n.title, ...(n.url ? { title_link: n.url } : {}), text: n.text, fields, footer: `slipway · ${n.topic}` }],
  };
}

/** The generic webhook notifier: POSTs Slack-compatible JSON. The URL is a secret: no error message contains it. */
export function createWebhookNotifier(): Notifier {
  return {
    async send(target, notification, signal) {
      let res: Response;
      try {
        res = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackPayload(notification)), signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      } catch (err) {
        throw Object.assign(new SlipwayError('SLW_NOTIFY_FAILED', `the notification webhook did not answer: ${(err as Error).name}`), { status: null, transient: true });
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      const transient = res.status === 408 || res.status === 429 || res.status >= 500;
      throw Object.assign(new SlipwayError('SLW_NOTIFY_FAILED', `the notification webhook answered HTTP ${res.status}`, { hint: transient ? 'It is tried again a few times.' : 'Check the NOTIFY_WEBHOOK_URL secret of the project.' }), { status: res.status, transient });
    },
  };
}
