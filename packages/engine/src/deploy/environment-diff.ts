import { SlipwayError, type EnvironmentDiff, type Release } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { fieldChanges, renderServices } from './desired-diff.js';

/**
 * The desired state of an environment (its desired release, or `releaseId`) against what runs there now, per service:
 * the revisions, health, whether it is in sync, and what deploying the desired state would change, field by field.
 * Reads only: nothing is applied.
 */
export async function environmentDiff(ctx: EngineContext, environmentId: string, releaseId?: string): Promise<EnvironmentDiff> {
  const env = await ctx.store.getEnvironment(environmentId);
  if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} not found`, { hint: 'See `slipway status` for the environments.' });
  const releases = new Map<string, Release | undefined>();
  const release = async (id: string | null | undefined) => {
    if (!id) return undefined;
    if (!releases.has(id)) releases.set(id, await ctx.store.getRelease(id));
    return releases.get(id);
  };
  const desired = await release(releaseId ?? env.desiredReleaseId);
  if (releaseId && (!desired || desired.projectId !== env.projectId)) throw new SlipwayError('SLW_NOT_FOUND', `release ${releaseId} not found in the environment's project`, { hint: 'List releases with `slipway releases`.' });
  const statuses = await ctx.store.listServiceStatus(env.id);
  const names = [...new Set([...Object.keys(desired?.services ?? {}), ...statuses.map((s) => s.service)])];
  const observed = await ctx.driverFor(env).observe(env.id, names);
  const want = await renderServices(env, desired, statuses);
  const services: EnvironmentDiff['services'] = [];
  for (const service of names) {
    const live = observed.services.find((s) => s.service === service && s.revision !== null);
    const liveRelease = await release(live?.releaseId);
    const target = want.get(service);
    const running = (await renderServices(env, liveRelease, statuses)).get(service);
    const synced = target !== undefined && live !== undefined && live.revision === target.revision && live.health !== 'missing';
    services.push({
      service,
      desired: target && desired ? { revision: target.revision, releaseVersion: desired.version } : null,
      live: live ? { revision: live.revision, releaseVersion: liveRelease?.version ?? null, health: live.health, url: live.url } : null,
      sync: synced || (!target && !live) ? 'synced' : 'out-of-sync',
      fields: target && desired && !synced ? fieldChanges(running, target, desired, liveRelease) : [],
    });
  }
  return { environment: env.name, desiredRelease: desired ? { id: desired.id, version: desired.version } : null, inSync: services.every((s) => s.sync === 'synced'), services };
}
