export { createWebhookNotifier, slackPayload } from './webhook.js';
