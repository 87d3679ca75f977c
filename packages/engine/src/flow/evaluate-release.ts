import { isFinished, parseConfig, type Release, type ReleaseService, type SlipwayConfig } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { autoPromote } from '../deploy/promote.js';
import { crashPoint } from '../crash-point.js';
import { emitOnce } from '../events/emit-once.js';
import type { JobHandler } from '../scheduler/worker.js';
import { buildArtifact } from './build-artifact.js';
import { buildImages, type ImageBuildRequest } from './build-image.js';
import { serviceRevision } from './revision.js';

/**
 * When every run of a commit has finished: no release if one failed; otherwise build the changed services, record an
 * immutable Release and ask for it in the first environment when its policy promotes automatically.
 */
export function createReleaseHandler(ctx: EngineContext): JobHandler {
  return async (item, signal) => {
    const project = await ctx.store.getProject(String(item.payload.projectId));
    const sha = String(item.payload.sha);
    if (!project) return;
    const runs = await ctx.store.listRuns({ projectId: project.id, commitSha: sha, limit: 100 });
    if (runs.some((r) => !isFinished(r.status))) return;
    const skip = (message: string, data: Record<string, unknown> = {}) =>
      ctx.bus.emit({ kind: 'release.skipped', projectId: project.id, subject: `commit:${sha}`, message, data: { sha, ...data } });
    if (project.lastCommitSha !== sha) {
      await skip(`no release for ${sha.slice(0, 7)}: superseded by ${project.lastCommitSha?.slice(0, 7)}, which is tested against the last release`);
      return;
    }
    const failed = runs.filter((r) => r.status !== 'succeeded');
    if (failed.length > 0) {
      await skip(`no release for ${sha.slice(0, 7)}: CI failed (${failed.map((r) => `run #${r.number} ${r.workflowName}`).join(', ')})`, { runs: failed.map((r) => r.id) });
      return;
    }
    const ref = sourceRef(project);
    const config = parseConfig((await ctx.source.readFile(ref, sha, 'slipway.yaml')) ?? '').value;
    if (!config) return;
    const [previous] = await ctx.store.listReleases({ projectId: project.id, limit: 1 });
    // Already made (this job runs again after a crash): finish what may have been cut short.
    if (previous?.commitSha === sha) return announceRelease(ctx, project.id, previous, config);
    const services: Record<string, ReleaseService> = {};
    const changed: string[] = [];
    const imageRequests: ImageBuildRequest[] = [];
    for (const [name, spec] of Object.entries(config.services)) {
      const revision = await serviceRevision(ctx.source, ref, sha, spec, config.images);
      const before = previous?.services[name];
      if (before?.revision === revision) {
        services[name] = before;
        continue;
      }
      changed.push(name);
      try {
        const artifact = await buildArtifact(ctx, ref, sha, name, spec, revision, signal);
        const overrides = Object.fromEntries(Object.entries(config.environments).map(([env, e]) => [env, e.overrides[name] ?? {}]));
        if (config.images) imageRequests.push({ project, images: config.images, projectName: config.project, service: name, spec, revision, root: artifact.root, sha, runIds: runs.map((r) => r.id) });
        services[name] = { revision, commitSha: sha, artifact: artifact.dir, config: { ...spec, overrides } };
      } catch (err) {
        await skip(`no release for ${sha.slice(0, 7)}: ${(err as Error).message}`);
        return;
      }
    }
    try {
      for (const [name, image] of await buildImages(ctx, imageRequests, signal)) services[name] = { ...services[name]!, image };
    } catch (err) {
      await skip(`no release for ${sha.slice(0, 7)}: ${(err as Error).message}`);
      return;
    }
    // A service removed from slipway.yaml is a change too: the release without it prunes it from the environments.
    const removed = Object.keys(previous?.services ?? {}).filter((name) => !(name in config.services));
    if (previous && changed.length === 0 && removed.length === 0) {
      await skip(`no release for ${sha.slice(0, 7)}: no service changed`);
      return;
    }
    const release = await ctx.store.createRelease({ projectId: project.id, commitSha: sha, services, changedServices: changed, config: config as unknown as Record<string, unknown>, runIds: runs.map((r) => r.id) });
    crashPoint('release.created');
    await announceRelease(ctx, project.id, release, config);
  };
}

/** Says the release was made (once) and asks for it in the first environment when that promotes automatically (once). */
async function announceRelease(ctx: EngineContext, projectId: string, release: Release, config: SlipwayConfig): Promise<void> {
  await emitOnce(ctx, {
    kind: 'release.created',
    projectId,
    subject: `release:${release.id}`,
    message: `release v${release.version} created from ${release.commitSha.slice(0, 7)} (changed: ${release.changedServices.join(', ')})`,
    data: { version: release.version, commitSha: release.commitSha, changedServices: release.changedServices },
  }, 'version');
  const first = (await ctx.store.listEnvironments(projectId)).find((e) => e.name in config.environments);
  if (first) await autoPromote(ctx, first, release, `new release v${release.version}`);
}
