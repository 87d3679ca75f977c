import { reconcileOnce, toSlipwayError, type Deployment, type DesiredState, type EnvironmentRecord, type ObservedState, type PlanAction, type Release } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import type { JobHandler } from '../scheduler/worker.js';
import { dependencyWaits, renderDesiredState } from './desired-state.js';
import { createEnvironmentReconciler, withPrune } from './environment-reconciler.js';
import { crashPoint } from '../crash-point.js';
import { emitOnce } from '../events/emit-once.js';
import { autoPromote } from './promote.js';
import { deploySecrets } from './deploy-secrets.js';
import { failDeployment, failPromotion } from './fail-deployment.js';
import { writeServiceStatus } from './write-status.js';
import { progressiveServices, rolloutAborted, underRollout } from './rollout/start-rollouts.js';

const maxPasses = 60;

/**
 * The environment reconciler's job: drive the environment to its desired release, record the deployment and the
 * promotion's outcome, and roll back to the last good release when a new one fails its health check.
 */
export function createReconcileHandler(ctx: EngineContext): JobHandler {
  return async (item, signal) => {
    const environmentId = String(item.payload.environmentId);
    for (let pass = 0; pass < maxPasses && !signal.aborted; pass++) {
      const env = await ctx.store.getEnvironment(environmentId);
      if (!env?.desiredReleaseId) return;
      const release = await ctx.store.getRelease(env.desiredReleaseId);
      if (!release) return;
      const outcome = await reconcileRelease(ctx, env, release, signal);
      const after = await ctx.store.getEnvironment(environmentId);
      // The desired release moved while we worked (a newer promotion or a rollback): go again at once.
      if (after?.desiredReleaseId !== env.desiredReleaseId) continue;
      if (outcome === 'requeue') {
        await sleep(1000, signal);
        continue;
      }
      return;
    }
  };
}

/**
 * The target cannot be reached as configured: its cluster secret is not set (said once per release; the promotion
 * fails, as for a missing deploy secret), or its API refuses (said once per release and message; retried).
 */
async function targetUnavailable(ctx: EngineContext, env: EnvironmentRecord, release: Release, err: unknown): Promise<'failed'> {
  const e = toSlipwayError(err);
  if (e.code !== 'SLW_SECRET_MISSING' && e.code !== 'SLW_KUBERNETES_FAILED') throw err;
  const data = { releaseId: release.id, version: release.version, environment: env.name, reason: e.message, code: e.code };
  await emitOnce(ctx, { kind: 'deployment.failed', projectId: release.projectId, subject: `environment:${env.id}`, message: `v${release.version} cannot deploy to ${env.name}: ${e.message}`, data }, 'reason');
  if (e.code !== 'SLW_SECRET_MISSING') throw err;
  const [running] = await ctx.store.listPromotions({ environmentId: env.id, releaseId: release.id, phase: 'running', limit: 1 });
  if (running) await failPromotion(ctx, env, release, running, e.message, { releaseId: release.id, version: release.version, environment: env.name });
  return 'failed';
}

async function reconcileRelease(ctx: EngineContext, env: EnvironmentRecord, release: Release, signal: AbortSignal): Promise<'done' | 'requeue' | 'failed'> {
  const services = Object.keys(release.services);
  const observed = await ctx.driverFor(env).observe(env.id, services, signal).catch((err: unknown) => targetUnavailable(ctx, env, release, err));
  if (observed === 'failed') return 'failed';
  const statuses = await ctx.store.listServiceStatus(env.id);
  const secrets = await deploySecrets(ctx, env, release);
  if ('missing' in secrets) {
    // Said once per release and environment; nothing is applied until the secrets are set.
    const [running] = await ctx.store.listPromotions({ environmentId: env.id, releaseId: release.id, phase: 'running', limit: 1 });
    const reason = `${secrets.missing.length > 1 ? 'secrets' : 'secret'} ${secrets.missing.join(', ')} ${secrets.missing.length > 1 ? 'are' : 'is'} not set`;
    await emitOnce(ctx, { kind: 'deployment.failed', projectId: release.projectId, subject: `environment:${env.id}`, message: `v${release.version} cannot deploy to ${env.name}: ${reason}`, data: { releaseId: release.id, version: release.version, environment: env.name, reason, code: 'SLW_SECRET_MISSING' } }, 'releaseId');
    if (running) await failPromotion(ctx, env, release, running, reason, { releaseId: release.id, version: release.version, environment: env.name });
    return 'failed';
  }
  const desired = await renderDesiredState(env, release, observed, statuses, secrets);
  // The inventory is what was applied here (a status row per service); what the release no longer has is pruned.
  const prune = statuses.filter((st) => !(st.service in release.services)).map((st) => st.service);
  const preview = withPrune(ctx.driverFor(env).plan(desired, observed), prune);
  const changing = preview.actions.filter((a) => a.type !== 'noop');
  const [promotion] = await ctx.store.listPromotions({ environmentId: env.id, releaseId: release.id, phase: 'running', limit: 1 });
  if (changing.length > 0 && !promotion) {
    // Stalled: this release already failed here and nothing has changed since. Retry only on a new promotion.
    const [last] = await ctx.store.listDeployments({ environmentId: env.id, limit: 1 });
    if (last && last.releaseId === release.id && (last.phase === 'failed' || last.phase === 'rolled-back')) return 'failed';
  }
  if (changing.length > 0 && !promotion && !env.policy.selfHeal) return reportDrift(ctx, env, release, desired, observed, changing);
  // A deployment of this release cut short by a crash is finished, not started again: the event log shows one deploy.
  const [latest] = await ctx.store.listDeployments({ environmentId: env.id, limit: 1 });
  let deployment: Deployment | undefined = latest?.phase === 'progressing' && latest.releaseId === release.id ? latest : undefined;
  const started = Date.now();
  // A deployment with rollouts is picked up again on purpose (every resync, and when a rollout ends): not a resumption.
  const withRollouts = deployment ? (await ctx.store.listRollouts({ environmentId: env.id, deploymentId: deployment.id, limit: 1 })).length > 0 : false;
  if (deployment) {
    if (!withRollouts) {
      await ctx.bus.emit({
        kind: 'deployment.resumed',
        projectId: release.projectId,
        subject: `environment:${env.id}`,
        message: `resuming the deployment of v${release.version} to ${env.name} after an interruption${changing.length ? `: ${changing.map((a) => a.service).join(', ')} still to change` : '; nothing left to change'}`,
        data: { deploymentId: deployment.id, releaseId: release.id, version: release.version, environment: env.name, actions: publicActions(changing) },
      });
    }
  } else if (changing.length > 0 && (await underRollout(ctx, env, release, changing))) {
    // Everything that changes is a rollout's already (its deployment ended or is being recorded): nothing new to start.
  } else if (changing.length > 0 && promotion && (await rolloutAborted(ctx, env, promotion))) {
    // This promotion's rollout was aborted and its failure is being recorded (rollout.step): no second try.
    return 'failed';
  } else if (changing.length > 0) {
    const waits = Object.fromEntries(dependencyWaits(release, changing.map((a) => a.service)));
    const order = Object.entries(waits).map(([svc, deps]) => `${svc} after ${deps.join(' and ')}`);
    deployment = await ctx.store.createDeployment({ promotionId: promotion?.id ?? null, environmentId: env.id, releaseId: release.id, services: changing.map((a) => a.service) });
    await ctx.bus.emit({
      kind: promotion ? 'deployment.started' : 'drift.detected',
      projectId: release.projectId,
      subject: `environment:${env.id}`,
      message: promotion
        ? `deploying v${release.version} to ${env.name}: ${changing.map((a) => `${a.service} (${a.type}: ${a.reason})`).join(', ')}${order.length ? `; in dependency order: ${order.join(', ')}` : ''}`
        : `${env.name} drifted from v${release.version}: ${changing.map((a) => `${a.service} (${a.reason})`).join(', ')}; healing`,
      data: { deploymentId: deployment.id, releaseId: release.id, version: release.version, commitSha: release.commitSha, environment: env.name, actions: publicActions(changing), waits },
    });
    crashPoint('deployment.started');
  }
  // Services replaced by a canary or blue-green rollout are left to it (rollout.step); the rest deploy as usual.
  const progressive = await progressiveServices(ctx, env, release, observed, changing, promotion, deployment);
  const messages = new Map<string, string>();
  // What each service is doing shows in its status while the deploy runs: a dependent says what it waits for.
  let notes = Promise.resolve();
  const note = (service: string, message: string) => {
    messages.set(service, message);
    notes = notes.then(() => noteStatus(ctx, env, service, message)).catch(() => {});
  };
  if (deployment) for (const [service, deps] of dependencyWaits(release, changing.map((a) => a.service))) note(service, `waiting for ${deps.join(' and ')} to be deployed and healthy first (${service} depends on ${deps.length > 1 ? 'them' : 'it'})`);
  const reconciler = createEnvironmentReconciler(ctx.driverFor(env), (p) => {
    note(p.service, p.message);
    ctx.logger.info({ environment: env.name, service: p.service }, p.message);
  });
  const result = await reconcileOnce(reconciler, { desired: { ...desired, services: desired.services.filter((s) => !progressive.has(s.service)) }, prune }, signal);
  await notes;
  if (deployment) crashPoint('deployment.applied');
  // A service a rollout drives shows as observed (its stable version serves), not as missing from this pass.
  const live = progressive.size > 0 ? { ...result.status, services: [...result.status.services.filter((s) => !progressive.has(s.service)), ...observed.services.filter((s) => progressive.has(s.service))] } : result.status;
  await writeServiceStatus(ctx, env, release.projectId, desired, live, messages);
  if (deployment) crashPoint('deployment.status');
  const durationMs = Date.now() - started;
  const data = { deploymentId: deployment?.id ?? null, releaseId: release.id, version: release.version, commitSha: release.commitSha, environment: env.name, durationMs, services: changing.map((a) => a.service) };

  if (result.kind === 'requeue') return 'requeue';
  // The deployment ends when its rollouts do: promoted (this runs again) or aborted (the rollout fails it).
  if (result.kind === 'done' && progressive.size > 0) return 'done';
  if (result.kind === 'done') {
    for (const service of prune) await ctx.store.deleteServiceStatus(env.id, service);
    if (deployment) await ctx.store.updateDeployment(deployment.id, { phase: 'succeeded', message: null, finishedAt: nowIso(ctx) });
    if (deployment) {
      const event = {
        kind: promotion ? ('deployment.succeeded' as const) : ('drift.healed' as const),
        projectId: release.projectId,
        subject: `environment:${env.id}`,
        message: `${promotion ? `v${release.version} deployed to ${env.name}` : `${env.name} healed to v${release.version}`} in ${(durationMs / 1000).toFixed(1)}s (${data.services.join(', ')})`,
        data,
      };
      await emitOnce(ctx, event, 'deploymentId');
      crashPoint('deployment.succeeded');
    }
    const clearHold = promotion?.kind === 'promote' && env.hold !== null;
    if (env.lastGoodReleaseId !== release.id || clearHold) await ctx.store.updateEnvironment(env.id, { lastGoodReleaseId: release.id, ...(clearHold ? { hold: null, holdVersion: null } : {}) });
    if (promotion) {
      // Said before the phase moves, once: after a crash in between, the step runs again and finds the event.
      await emitOnce(ctx, { kind: 'promotion.succeeded', projectId: release.projectId, subject: `environment:${env.id}`, message: `v${release.version} is live and healthy in ${env.name}`, data: { ...data, promotionId: promotion.id, kind: promotion.kind } }, 'promotionId');
      if (await ctx.store.updatePromotion(promotion.id, { phase: 'succeeded', finishedAt: nowIso(ctx) }, ['running'])) {
        crashPoint('promotion.succeeded');
        if (promotion.kind === 'promote') await promoteToNext(ctx, env, release);
      }
    }
    return 'done';
  }

  // Stalled: the release cannot run here. Record why, then go back to the last good release and hold.
  await failDeployment(ctx, env, release, deployment, promotion, result.error.message, result.error.code, data);
  return 'failed';
}

/** Actions as events tell them: what and why, never the desired state (its env may hold secret values). */
const publicActions = (actions: PlanAction[]) => actions.map((a) => ({ type: a.type, service: a.service, reason: a.reason }));

/** Writes a service's current message into its status (live progress); the rest of the row stays as it was. */
async function noteStatus(ctx: EngineContext, env: EnvironmentRecord, service: string, message: string): Promise<void> {
  const row = (await ctx.store.listServiceStatus(env.id)).find((s) => s.service === service);
  await ctx.store.putServiceStatus({ ...(row ?? { environmentId: env.id, service, releaseId: null, revision: null, health: 'progressing' as const, sync: 'out-of-sync' as const, url: null }), message, updatedAt: nowIso(ctx) });
}

/** Self-heal is off: record what runs and say once that it drifted, but change nothing. */
async function reportDrift(ctx: EngineContext, env: EnvironmentRecord, release: Release, desired: DesiredState, observed: ObservedState, changing: PlanAction[]): Promise<'done'> {
  const known = new Map((await ctx.store.listServiceStatus(env.id)).map((s) => [s.service, s]));
  const fresh = changing.filter((a) => known.get(a.service)?.sync !== 'out-of-sync');
  await writeServiceStatus(ctx, env, release.projectId, desired, observed, new Map(changing.map((a) => [a.service, `drifted from v${release.version}: ${a.reason}; self-heal is off`])));
  if (fresh.length > 0) {
    await ctx.bus.emit({
      kind: 'drift.detected',
      projectId: release.projectId,
      subject: `environment:${env.id}`,
      message: `${env.name} drifted from v${release.version}: ${fresh.map((a) => `${a.service} (${a.reason})`).join(', ')}; self-heal is off, so it is only reported`,
      data: { releaseId: release.id, version: release.version, environment: env.name, actions: publicActions(fresh), healing: false },
    });
  }
  return 'done';
}

/** After a release is live and healthy here, the next environment gets it when its policy promotes automatically (once). */
export async function promoteToNext(ctx: EngineContext, env: EnvironmentRecord, release: Release): Promise<void> {
  const next = (await ctx.store.listEnvironments(env.projectId)).find((e) => e.position > env.position);
  if (next) await autoPromote(ctx, next, release, `v${release.version} is live and healthy in ${env.name}`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
