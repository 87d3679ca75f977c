import { decideRollout, dueMetrics, durationMs, servedShare, worstCaseExposure, type DesiredService, type EnvironmentRecord, type Release, type Rollout } from '@slipway/core';
import { nowIso, type EngineContext } from '../../context.js';
import { DeferItem, type JobHandler } from '../../scheduler/worker.js';
import { deploySecrets } from '../deploy-secrets.js';
import { renderDesiredState } from '../desired-state.js';
import { failDeployment } from '../fail-deployment.js';
import { measure } from './measure.js';
import { stepsOf, strategyFor } from './strategy.js';

/**
 * `rollout.step`: drives one progressive rollout. It makes sure the new version runs next to the stable one with its
 * weight, takes the measurements that are due, and acts on the pure `decideRollout`: wait for the next measurement,
 * go to the next weight, promote (all traffic to the new version, the old one kept warm), pause (inconclusive, or
 * waiting for `slipway promote`) or abort (traffic back at once, the new version stopped, the release failed here and
 * held, as a failed health check is). The job comes back by itself while the rollout progresses.
 */
export function createRolloutHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const rollout = await ctx.store.getRollout(String(item.payload.rolloutId));
    if (!rollout || (rollout.phase !== 'progressing' && rollout.phase !== 'aborted')) return;
    const env = await ctx.store.getEnvironment(rollout.environmentId);
    const release = await ctx.store.getRelease(rollout.releaseId);
    if (!env || !release) return;
    // Aborted, and the job ran again (a crash cut the abort short): finish failing the deployment.
    if (rollout.phase === 'aborted') return failAbortedDeployment(ctx, env, release, rollout, rollout.reason ?? 'aborted');
    const traffic = ctx.driverFor(env).traffic;
    if (!traffic) return abortRollout(ctx, env, release, rollout, `the ${env.targetType} target cannot split traffic`);
    const { strategy, metrics: all } = strategyFor(release, env.name, rollout.service);
    // Blue-green previews the new version (by header) until it switches; its analysis runs after the switch.
    const switched = isSwitched(rollout);
    const metrics = rollout.strategy === 'blue-green' && !switched ? [] : all;
    const route = { weight: rollout.weight, ...(strategy.header ? { header: strategy.header } : {}) };
    // The new version runs next to the stable one: started here, or again after a restart of the server.
    if (!switched && traffic.canaryRevision(env.id, rollout.service) !== rollout.canaryRevision) {
      const desired = await desiredService(ctx, env, release, rollout.service);
      if (!desired) return abortRollout(ctx, env, release, rollout, `${rollout.service} is not in v${release.version}`);
      const failure = await traffic.startCanary(env.id, desired, route, (m) => ctx.logger.info({ environment: env.name, service: rollout.service }, m));
      if (failure) return abortRollout(ctx, env, release, rollout, `the new version did not start: ${failure}`);
      await ctx.store.updateRollout(rollout.id, { stepStartedAt: nowIso(ctx) }, ['progressing']);
      rollout.stepStartedAt = nowIso(ctx);
      const first = strategy.type === 'blue-green' ? `previewing v${release.version}${strategy.header ? ` (header ${strategy.header.name}: ${strategy.header.value})` : ''}` : `${rollout.weight} % of requests`;
      await ctx.bus.emit({ kind: 'rollout.started', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${strategy.type} of ${rollout.service} v${release.version} in ${env.name}: ${first}${rollout.exposure ? `; worst case ${rollout.exposure}` : ''}`, data: { rolloutId: rollout.id, environment: env.name, service: rollout.service, weight: rollout.weight, version: release.version } });
    }
    const due = dueMetrics(rollout, metrics, ctx.clock.now().getTime());
    if (due.length > 0) {
      const taken = await Promise.all(due.map(([name, m]) => measure(traffic, env.id, rollout, name, m, ctx.clock.now().getTime())));
      rollout.measurements = [...rollout.measurements, ...taken];
      if (!(await ctx.store.updateRollout(rollout.id, { measurements: rollout.measurements }, ['progressing']))) return;
      await ctx.bus.emit({ kind: 'rollout.measured', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${rollout.service} in ${env.name} at ${rollout.weight} %: ${taken.map((t) => `${t.metric} ${t.phase} (${t.detail})`).join('; ')}`, data: { rolloutId: rollout.id, environment: env.name, measurements: taken } });
    }
    const decision = decideRollout(rollout, strategy, metrics, ctx.clock.now().getTime());
    switch (decision.type) {
      case 'wait':
        throw new DeferItem(Math.max(50, decision.untilMs - ctx.clock.now().getTime()));
      case 'advance': {
        if (rollout.strategy === 'blue-green' && decision.weight >= 100) await traffic.promote(env.id, rollout.service, durationMs(strategy.scaleDownDelay));
        else await traffic.setRoute(env.id, rollout.service, { ...route, weight: decision.weight });
        const exposure = worstCaseExposure(metrics, decision.weight);
        if (!(await ctx.store.updateRollout(rollout.id, { stepIndex: decision.stepIndex, weight: decision.weight, stepStartedAt: nowIso(ctx), exposure, reason: decision.reason }, ['progressing']))) return;
        await ctx.bus.emit({ kind: 'rollout.step', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${rollout.service} in ${env.name}: ${decision.reason}; now ${decision.weight} % of requests`, data: { rolloutId: rollout.id, environment: env.name, weight: decision.weight, step: decision.stepIndex } });
        // Back in a moment, to wait for the new step's first measurement.
        throw new DeferItem(50);
      }
      case 'promote':
        return promoteRollout(ctx, env, release, rollout, decision.reason);
      case 'pause':
        if (await ctx.store.updateRollout(rollout.id, { phase: 'paused', reason: decision.reason }, ['progressing'])) {
          await ctx.bus.emit({ kind: 'rollout.paused', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${rollout.service} in ${env.name} paused at ${rollout.weight} %: ${decision.reason}`, data: { rolloutId: rollout.id, environment: env.name, reason: decision.reason } });
        }
        return;
      case 'abort':
        return abortRollout(ctx, env, release, rollout, decision.reason);
    }
  };
}

/** All traffic to the new version; the old one stays warm for the scale-down delay; the environment's reconciler finishes the deployment. */
export async function promoteRollout(ctx: EngineContext, env: EnvironmentRecord, release: Release, rollout: Rollout, reason: string): Promise<void> {
  const { strategy } = strategyFor(release, env.name, rollout.service);
  const traffic = ctx.driverFor(env).traffic!;
  if (!(await ctx.store.updateRollout(rollout.id, { phase: 'succeeded', weight: 100, stepIndex: stepsOf(strategy).length - 1, reason, finishedAt: nowIso(ctx) }, ['progressing', 'paused']))) return;
  if (!isSwitched(rollout)) await traffic.promote(env.id, rollout.service, durationMs(strategy.scaleDownDelay));
  await ctx.bus.emit({ kind: 'rollout.promoted', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${rollout.service} v${release.version} takes all traffic in ${env.name}: ${reason}; the old version stays warm for ${strategy.scaleDownDelay}`, data: { rolloutId: rollout.id, environment: env.name, service: rollout.service, version: release.version } });
  await ctx.enqueue('environment.reconcile', { environmentId: env.id }, { dedupeKey: `env:${env.id}` });
}

/** Traffic back to the stable version at once, the new one stopped; the release fails here and is held, like a failed health check. */
export async function abortRollout(ctx: EngineContext, env: EnvironmentRecord, release: Release, rollout: Rollout, reason: string): Promise<void> {
  if (!(await ctx.store.updateRollout(rollout.id, { phase: 'aborted', reason, finishedAt: nowIso(ctx) }, ['progressing', 'paused']))) return;
  // Switched already (blue-green): back to the old version, still warm; otherwise the new version just stops.
  const traffic = ctx.driverFor(env).traffic;
  const served = servedShare(traffic?.samples(env.id, rollout.service, Date.parse(rollout.createdAt)) ?? [], rollout.canaryRevision, Math.min(...rollout.steps.filter((w) => w > 0)));
  if (isSwitched(rollout)) await traffic?.switchBack(env.id, rollout.service);
  else await traffic?.abort(env.id, rollout.service);
  await ctx.bus.emit({ kind: 'rollout.aborted', projectId: release.projectId, subject: `rollout:${rollout.id}`, message: `${rollout.service} v${release.version} aborted in ${env.name} at ${rollout.weight} %: ${reason}; all traffic is back on the stable version${served.total ? ` (the new version served ${served.canary} of ${served.total} requests)` : ''}`, data: { rolloutId: rollout.id, environment: env.name, service: rollout.service, version: release.version, weight: rollout.weight, reason, served } });
  await failAbortedDeployment(ctx, env, release, rollout, reason);
}

/** The deployment and the promotion of an aborted rollout fail, and the environment goes back and holds (once: only while they are still under way). */
async function failAbortedDeployment(ctx: EngineContext, env: EnvironmentRecord, release: Release, rollout: Rollout, reason: string): Promise<void> {
  const deployment = rollout.deploymentId ? (await ctx.store.listDeployments({ environmentId: env.id, limit: 20 })).find((d) => d.id === rollout.deploymentId) : undefined;
  const promotion = rollout.promotionId ? await ctx.store.getPromotion(rollout.promotionId) : undefined;
  const data = { deploymentId: rollout.deploymentId, releaseId: release.id, version: release.version, commitSha: release.commitSha, environment: env.name, services: [rollout.service], rolloutId: rollout.id };
  // Superseded by a newer release (or already failed): nothing of this one is under way here any more.
  if (env.desiredReleaseId !== release.id || (deployment?.phase !== 'progressing' && promotion?.phase !== 'running')) return;
  await failDeployment(ctx, env, release, deployment?.phase === 'progressing' ? deployment : undefined, promotion?.phase === 'running' ? promotion : undefined, `${rollout.service}'s rollout was aborted: ${reason}`, 'SLW_ROLLOUT_ABORTED', data, `v${release.version}'s rollout was aborted`);
}

/** A blue-green rollout past its preview: the new version serves everything, the old one is warm. */
export const isSwitched = (rollout: Pick<Rollout, 'strategy' | 'stepIndex'>) => rollout.strategy === 'blue-green' && rollout.stepIndex >= 1;

async function desiredService(ctx: EngineContext, env: EnvironmentRecord, release: Release, service: string): Promise<DesiredService | undefined> {
  const secrets = await deploySecrets(ctx, env, release);
  if ('missing' in secrets) return undefined;
  const observed = await ctx.driverFor(env).observe(env.id, Object.keys(release.services));
  const desired = await renderDesiredState(env, release, observed, await ctx.store.listServiceStatus(env.id), secrets);
  return desired.services.find((s) => s.service === service);
}
