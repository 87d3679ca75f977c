import { SlipwayError, validateDriver, type EnvironmentResources } from '@slipway/core';
import type { EngineContext } from '../context.js';

/**
 * The resource tree of an environment: for each of its services (those of its desired release, then those that still
 * run there), the target's objects with their health and drift. Targets that are not made of objects (local, docker)
 * answer `supported: false` with empty lists. Reads only.
 */
export async function environmentResources(ctx: EngineContext, environmentId: string): Promise<EnvironmentResources> {
  const env = await ctx.store.getEnvironment(environmentId);
  if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} not found`, { hint: 'See `slipway status` for the environments.' });
  const desired = env.desiredReleaseId ? await ctx.store.getRelease(env.desiredReleaseId) : undefined;
  const statuses = await ctx.store.listServiceStatus(env.id);
  const names = [...new Set([...Object.keys(desired?.services ?? {}), ...statuses.map((s) => s.service)])];
  // The engine validates only its default driver; the tree of any target is checked before it is trusted.
  const { resources } = validateDriver(ctx.driverFor(env));
  const services = await Promise.all(names.map(async (service) => ({ service, resources: resources ? await resources(env.id, service) : [] })));
  return { environment: env.name, target: env.targetType, supported: resources !== undefined, services };
}
