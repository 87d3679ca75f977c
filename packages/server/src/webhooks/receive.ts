import { createHash } from 'node:crypto';
import { SlipwayError, type Project } from '@slipway/core';
import type { Engine, Logger, SecretResolver } from '@slipway/engine';
import { hostSpecs, type GitHostKind } from './hosts.js';
import { obj, type Json, type WebhookNotice } from './notice.js';
import { projectsForRepo } from './repo-url.js';
import { verifyDelivery, type RejectReason } from './verify.js';

/** The project secret (else the global one) that webhooks of a project are checked with; see ADR 011. */
export const webhookSecretName = 'WEBHOOK_SECRET';
/** Delivery ids are kept this long; hosts redeliver within hours, not weeks. */
const keepDeliveriesMs = 7 * 24 * 3600_000;
const pruneEveryMs = 3600_000;

export interface WebhookDelivery {
  host: GitHostKind;
  header: (name: string) => string | undefined;
  body: Uint8Array;
}

export interface ProjectOutcome {
  projectId: string;
  name: string;
  outcome: 'queued' | 'known' | 'ignored' | 'pull-request';
  detail: string;
}

export interface DeliveryResult {
  delivery: string;
  event: string;
  duplicate: boolean;
  projects: ProjectOutcome[];
}

export interface WebhookReceiver {
  /** Verifies, deduplicates and acts on one delivery. Throws SLW_WEBHOOK_UNVERIFIED (401) when the check fails. */
  receive(delivery: WebhookDelivery): Promise<DeliveryResult>;
}

/**
 * Webhooks: the payload names the repository, its projects give the secret, the host's signature (or GitLab's token)
 * must match it, and only then is the delivery id recorded, so that nobody without the secret can burn a delivery id.
 */
export function createWebhookReceiver(deps: { engine: Engine; secrets: SecretResolver; logger: Logger }): WebhookReceiver {
  const { engine, secrets, logger } = deps;
  const { store, bus } = engine;
  let lastPrune = 0;

  const reject = async (host: GitHostKind, event: string, delivery: string, reason: RejectReason, detail: string, projects: Project[] = []): Promise<never> => {
    const message = `${host} webhook ${event} rejected: ${detail}${projects.length ? ` (${projects.map((p) => p.name).join(', ')})` : ''}`;
    await bus.emit({ kind: 'webhook.rejected', projectId: projects[0]?.id ?? null, subject: `webhook:${host}:${delivery}`, message, data: { host, event, delivery, reason } });
    logger.warn({ host, event, delivery, reason }, 'webhook rejected');
    if (reason === 'no-project') throw new SlipwayError('SLW_NOT_FOUND', detail, { hint: 'Add the repository with `slipway projects add <url>`; its URL must name the same repository as the payload.' });
    if (reason === 'payload-invalid') throw new SlipwayError('SLW_API_BAD_REQUEST', detail, { hint: 'Set the webhook\'s content type to application/json.' });
    throw new SlipwayError('SLW_WEBHOOK_UNVERIFIED', detail);
  };

  const prune = () => {
    const now = Date.now();
    if (now - lastPrune < pruneEveryMs) return;
    lastPrune = now;
    void store.pruneWebhookDeliveries(new Date(now - keepDeliveriesMs).toISOString()).catch((err: unknown) => logger.warn({ err: String(err) }, 'cannot prune webhook deliveries'));
  };

  return {
    async receive({ host, header, body }) {
      const spec = hostSpecs[host];
      const event = first(spec.eventHeaders, header) ?? '';
      const delivery = first(spec.deliveryHeaders, header) ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const payload = parsePayload(body, header('content-type'));
      if (!payload) return reject(host, event, delivery, 'payload-invalid', 'the body is not a JSON object');
      const notice = spec.parse(event, payload);
      const candidates = projectsForRepo(await store.listProjects(), notice.repoUrls);
      if (candidates.length === 0) return reject(host, event, delivery, 'no-project', `no project follows ${notice.repoUrls[0] ?? 'the repository in the payload'}`);

      const checks = await Promise.all(candidates.map(async (p) => ({ project: p, result: await check(host, header, body, p) })));
      const verified = checks.filter((c) => c.result === true).map((c) => c.project);
      if (verified.length === 0) {
        const reason = worst(checks.map((c) => c.result as RejectReason));
        return reject(host, event, delivery, reason, describe(reason, host), candidates);
      }
      prune();
      if (!(await store.recordWebhookDelivery({ host, deliveryId: delivery }))) return { delivery, event, duplicate: true, projects: [] };
      try {
        const projects = await Promise.all(verified.map((p) => act(p, notice)));
        for (const o of projects) {
          await bus.emit({ kind: 'webhook.received', projectId: o.projectId, subject: `webhook:${host}:${delivery}`, message: `${host} webhook ${event}: ${o.detail}`, data: { host, event, delivery, outcome: o.outcome } });
        }
        return { delivery, event, duplicate: false, projects };
      } catch (err) {
        // Handling failed: forget the id, so that the host's redelivery is handled rather than taken for a replay.
        await store.forgetWebhookDelivery(host, delivery).catch(() => {});
        throw err;
      }
    },
  };

  async function check(host: GitHostKind, header: WebhookDelivery['header'], body: Uint8Array, project: Project): Promise<true | RejectReason> {
    const secret = (await secrets.resolve(project.id, [webhookSecretName]))[webhookSecretName];
    if (secret === undefined) return 'secret-not-set';
    return verifyDelivery(host, header, body, secret);
  }

  async function act(project: Project, notice: WebhookNotice): Promise<ProjectOutcome> {
    const base = { projectId: project.id, name: project.name };
    if (notice.kind === 'ping') return { ...base, outcome: 'ignored', detail: 'ping: the webhook reaches Slipway' };
    if (notice.kind === 'ignored') return { ...base, outcome: 'ignored', detail: notice.reason };
    if (notice.kind === 'pull_request') {
      const { pr } = notice;
      if (pr.baseRef !== project.branch) return { ...base, outcome: 'ignored', detail: `pull request #${pr.number} targets ${pr.baseRef}; ${project.name} follows ${project.branch}` };
      const { runs } = await engine.handlePullRequest(project.id, pr);
      return { ...base, outcome: 'pull-request', detail: `pull request #${pr.number} ${pr.action} at ${pr.headSha.slice(0, 7)}: ${runs.length} run(s) queued` };
    }
    if (notice.branch === null) return { ...base, outcome: 'ignored', detail: 'a tag push; projects follow branches' };
    if (notice.sha === null) return { ...base, outcome: 'ignored', detail: `branch ${notice.branch} was deleted` };
    if (notice.branch !== project.branch) {
      if (await engine.handleBranchPush(project.id, notice.branch, notice.sha)) return { ...base, outcome: 'queued', detail: `push to the CI branch ${notice.branch}: commit ${notice.sha.slice(0, 7)} queued` };
      return { ...base, outcome: 'ignored', detail: `push to ${notice.branch}; ${project.name} follows ${[project.branch, ...project.ciBranches].join(', ')}` };
    }
    const outcome = await engine.handlePush(project.id, notice.sha, notice.changes);
    if (!outcome.queued) return { ...base, outcome: 'known', detail: outcome.reason };
    const early = outcome.runs === undefined ? '' : `, ${outcome.runs} run(s) queued from the payload`;
    return { ...base, outcome: 'queued', detail: `push to ${notice.branch}: commit ${outcome.sha.slice(0, 7)} queued${early}` };
  }
}

function first(names: string[], header: WebhookDelivery['header']): string | undefined {
  return names.map(header).find((v) => v !== undefined && v !== '');
}

/** GitHub may send `payload=<json>` as a form; everyone else sends JSON. */
function parsePayload(body: Uint8Array, contentType: string | undefined): Json | undefined {
  let text = Buffer.from(body).toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? obj(value) : undefined;
  } catch {
    return undefined;
  }
}

/** With several projects on one repository, the reason nearest to success is the one worth telling. */
function worst(reasons: RejectReason[]): RejectReason {
  for (const r of ['signature-mismatch', 'signature-missing', 'secret-not-set'] as const) if (reasons.includes(r)) return r;
  return reasons[0] ?? 'signature-mismatch';
}

/** The reason in words, naming no project: the caller is not authenticated (the event names them). */
function describe(reason: RejectReason, host: GitHostKind): string {
  if (reason === 'secret-not-set') return `no ${webhookSecretName} is set for the project, so its webhooks cannot be verified`;
  const what = host === 'gitlab' ? 'X-Gitlab-Token' : host === 'github' ? 'X-Hub-Signature-256' : 'X-Gitea-Signature';
  return reason === 'signature-missing' ? `the delivery has no ${what} header` : `the ${what} of the delivery does not match the project's ${webhookSecretName}`;
}
