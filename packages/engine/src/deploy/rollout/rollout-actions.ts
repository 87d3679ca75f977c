import { durationMs, SlipwayError, type Rollout } from '@slipway/core';
import { nowIso, type EngineContext } from '../../context.js';
import { abortRollout, promoteRollout } from './rollout-handler.js';
import { stepsOf, strategyFor } from './strategy.js';

export type RolloutAction = 'promote' | 'pause' | 'resume' | 'abort';

/**
 * What a person does to a rollout: `promote` goes to the next step (or, with `full` or at the last, gives all traffic
 * to the new version), `pause` holds it where it is, `resume` restarts the current step (its measurements start over),
 * `abort` sends all traffic back to the stable version and fails the release here.
 */
export async function rolloutAction(ctx: EngineContext, rolloutId: string, action: RolloutAction, actor: string, options: { full?: boolean } = {}): Promise<Rollout> {
  const rollout = await ctx.store.getRollout(rolloutId);
  if (!rollout) throw new SlipwayError('SLW_NOT_FOUND', `rollout ${rolloutId} not found`, { hint: 'List rollouts with `slipway rollouts`.' });
  const env = await ctx.store.getEnvironment(rollout.environmentId);
  const release = await ctx.store.getRelease(rollout.releaseId);
  if (!env || !release) throw new SlipwayError('SLW_NOT_FOUND', `the environment or release of rollout ${rolloutId} is gone`);
  const live = rollout.phase === 'progressing' || rollout.phase === 'paused';
  if (!live) throw new SlipwayError('SLW_CONFLICT', `rollout ${rolloutId} has ${rollout.phase === 'succeeded' ? 'succeeded' : 'been aborted'}; it cannot ${action}`, { hint: 'Only a progressing or paused rollout can be changed.' });
  const by = `by ${actor}`;
  const emit = (kind: 'rollout.paused' | 'rollout.resumed' | 'rollout.step', message: string) =>
    ctx.bus.emit({ kind, projectId: release.projectId, subject: `rollout:${rollout.id}`, message, data: { rolloutId: rollout.id, environment: env.name, actor } });
  switch (action) {
    case 'pause':
      if (await ctx.store.updateRollout(rollout.id, { phase: 'paused', reason: `paused ${by}` }, ['progressing'])) await emit('rollout.paused', `${rollout.service} in ${env.name} paused at ${rollout.weight} % ${by}`);
      break;
    case 'resume':
      if (await ctx.store.updateRollout(rollout.id, { phase: 'progressing', reason: `resumed ${by}`, stepStartedAt: nowIso(ctx) }, ['paused'])) {
        await emit('rollout.resumed', `${rollout.service} in ${env.name} resumed at ${rollout.weight} % ${by}; the step's measurements start over`);
        await ctx.enqueue('rollout.step', { rolloutId: rollout.id }, { dedupeKey: `rollout:${rollout.id}` });
      }
      break;
    case 'abort':
      await abortRollout(ctx, env, release, rollout, `aborted ${by}`);
      break;
    case 'promote': {
      const { strategy } = strategyFor(release, env.name, rollout.service);
      const next = stepsOf(strategy)[rollout.stepIndex + 1];
      // Blue-green switches now and keeps its post-switch analysis (a failure switches back).
      if (rollout.strategy === 'blue-green' && rollout.stepIndex === 0 && !options.full) {
        if (await ctx.store.updateRollout(rollout.id, { phase: 'progressing', stepIndex: 1, weight: 100, stepStartedAt: nowIso(ctx), reason: `switched ${by}` }, ['progressing', 'paused'])) {
          await ctx.driverFor(env).traffic?.promote(env.id, rollout.service, durationMs(strategy.scaleDownDelay));
          await emit('rollout.step', `${rollout.service} in ${env.name} switched to v${release.version} ${by}; the old version stays warm for ${strategy.scaleDownDelay}`);
          await ctx.enqueue('rollout.step', { rolloutId: rollout.id }, { dedupeKey: `rollout:${rollout.id}` });
        }
        break;
      }
      if (options.full || next === undefined || next >= 100) {
        await promoteRollout(ctx, env, release, rollout, `promoted ${by}`);
        break;
      }
      await ctx.driverFor(env).traffic?.setRoute(env.id, rollout.service, { weight: next, ...(strategy.header ? { header: strategy.header } : {}) });
      if (await ctx.store.updateRollout(rollout.id, { phase: 'progressing', stepIndex: rollout.stepIndex + 1, weight: next, stepStartedAt: nowIso(ctx), reason: `promoted to the next step ${by}` }, ['progressing', 'paused'])) {
        await emit('rollout.step', `${rollout.service} in ${env.name} promoted ${by}: now ${next} % of requests`);
        await ctx.enqueue('rollout.step', { rolloutId: rollout.id }, { dedupeKey: `rollout:${rollout.id}` });
      }
      break;
    }
  }
  return (await ctx.store.getRollout(rollout.id))!;
}
