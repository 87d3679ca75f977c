import { parseConfig } from '@slipway/core';
import { nowIso, sourceRef, type EngineContext } from '../context.js';
import type { JobHandler } from '../scheduler/worker.js';

/**
 * `environment.retire`: an environment taken out of slipway.yaml. Its services are deleted from its target, waiting
 * and deploying promotions are aborted, and it is no longer listed; its promotions and deployments stay on record.
 */
export function createRetireHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const env = await ctx.store.getEnvironment(String(item.payload.environmentId));
    if (!env) return;
    const project = await ctx.store.getProject(env.projectId);
    if (!project || !(await ctx.store.listEnvironments(project.id)).some((e) => e.id === env.id)) return;
    // Only what the commit that dropped it says, and not if a newer processed commit has it again.
    for (const sha of new Set([String(item.payload.commitSha), project.lastCommitSha ?? String(item.payload.commitSha)])) {
      const config = parseConfig((await ctx.source.readFile(sourceRef(project), sha, 'slipway.yaml')) ?? '').value;
      if (!config || env.name in config.environments) return;
    }
    const services = (await ctx.store.listServiceStatus(env.id)).map((s) => s.service);
    const driver = ctx.driverFor(env);
    for (const service of services) {
      await driver.delete(env.id, service);
      await ctx.store.deleteServiceStatus(env.id, service);
    }
    for (const phase of ['pending', 'running'] as const) {
      for (const p of await ctx.store.listPromotions({ environmentId: env.id, phase, limit: 500 })) {
        await ctx.store.updatePromotion(p.id, { phase: 'aborted', reason: `${env.name} was taken out of slipway.yaml`, finishedAt: nowIso(ctx) }, [phase]);
      }
    }
    await ctx.store.removeEnvironment(env.id);
    await ctx.bus.emit({
      kind: 'environment.removed',
      projectId: env.projectId,
      subject: `environment:${env.id}`,
      message: `${env.name} was taken out of slipway.yaml: ${services.length ? `${services.join(', ')} deleted from its ${env.targetType} target` : 'nothing ran there'}`,
      data: { environment: env.name, services },
    });
  };
}
