import type { DesiredState, EnvironmentRecord, ObservedState } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';

/** Writes what runs in an environment; a service whose health changed gets one event. Unchanged status writes nothing. */
export async function writeServiceStatus(ctx: EngineContext, env: EnvironmentRecord, projectId: string, desired: DesiredState, live: ObservedState, messages: Map<string, string>): Promise<void> {
  const before = new Map((await ctx.store.listServiceStatus(env.id)).map((s) => [s.service, s]));
  for (const want of desired.services) {
    const have = live.services.find((s) => s.service === want.service);
    const health = have?.health ?? 'missing';
    const changed = await ctx.store.putServiceStatus({
      environmentId: env.id,
      service: want.service,
      releaseId: have?.releaseId ?? null,
      revision: have?.revision ?? null,
      health,
      // A stopped instance of the right revision is not the desired state either.
      sync: have?.revision === want.revision && health !== 'missing' ? 'synced' : 'out-of-sync',
      url: have?.url ?? null,
      message: messages.get(want.service) ?? have?.message ?? null,
      updatedAt: nowIso(ctx),
    });
    const previous = before.get(want.service)?.health;
    if (changed && previous !== health) {
      await ctx.bus.emit({
        kind: 'health.changed',
        projectId,
        subject: `environment:${env.id}`,
        message: `${want.service} in ${env.name} is ${health}${previous ? ` (was ${previous})` : ''}`,
        data: { service: want.service, environment: env.name, health, previous: previous ?? null },
      });
    }
  }
}
