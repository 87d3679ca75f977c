import { combineHealth, type Release, type StatusReport, type Store } from '@slipway/core';

/** Assembles the status report: per project, per environment, per service — release, health and sync. */
export async function buildStatus(store: Store): Promise<StatusReport> {
  const releases = new Map<string, Release | undefined>();
  const release = async (id: string | null) => {
    if (!id) return undefined;
    if (!releases.has(id)) releases.set(id, await store.getRelease(id));
    return releases.get(id);
  };
  const statuses = await store.listServiceStatus();
  const projects = await store.listProjects();
  return {
    projects: await Promise.all(
      projects.map(async (p) => ({
        project: { id: p.id, name: p.name, lastCommitSha: p.lastCommitSha, gitHost: p.gitHost },
        environments: await Promise.all(
          (await store.listEnvironments(p.id)).map(async (env) => {
            const desired = await release(env.desiredReleaseId);
            const services = await Promise.all(
              statuses.filter((s) => s.environmentId === env.id).map(async (s) => ({ ...s, releaseVersion: (await release(s.releaseId))?.version ?? null })),
            );
            const pending = await store.listPromotions({ environmentId: env.id, phase: 'pending', limit: 20 });
            const waiting = await Promise.all(pending.map(async (w) => ({ promotionId: w.id, version: (await release(w.releaseId))?.version ?? 0, kind: w.kind, waitingOn: w.gates.filter((g) => !g.passed) })));
            const sync = services.length === 0 ? 'unknown' : services.every((s) => s.sync === 'synced') ? 'synced' : 'out-of-sync';
            return {
              id: env.id,
              name: env.name,
              position: env.position,
              target: env.targetType,
              health: combineHealth(services.map((s) => s.health)),
              sync: sync as 'synced' | 'out-of-sync' | 'unknown',
              desiredRelease: desired ? { id: desired.id, version: desired.version, commitSha: desired.commitSha } : null,
              hold: env.hold,
              waiting,
              services,
            };
          }),
        ),
      })),
    ),
  };
}
