import { toSlipwayError, type Project } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { checkBranches } from './branches.js';

export interface Poller {
  start(): void;
  stop(): void;
  /** Checks a project now, instead of at its next tick. */
  pollNow(projectId: string): Promise<void>;
}

/**
 * Notices new commits: `git ls-remote` every interval (with jitter), and a fetch only when the head moved.
 * Fetches go through `ctx.fetchLatest`, which the push handler of webhooks shares, so the two never fetch one project at once.
 */
export function createPoller(ctx: EngineContext): Poller {
  const timers = new Map<string, NodeJS.Timeout>();
  const lastHead = new Map<string, string>();
  const lastError = new Map<string, string>();
  let running = false;
  let scan: NodeJS.Timeout | undefined;

  const check = async (project: Project) => {
    const ref = sourceRef(project);
    // CI branches are looked at on the same tick, with one ls-remote for all of them.
    void checkBranches(ctx, project).catch((err: unknown) => ctx.logger.warn({ project: project.id, err: toSlipwayError(err).message }, 'cannot check the CI branches'));
    try {
      const head = await ctx.source.remoteHead(ref);
      if (lastError.delete(project.id)) ctx.logger.info({ project: project.id }, 'source reachable again');
      if (head === lastHead.get(project.id) || head === project.lastCommitSha) {
        lastHead.set(project.id, head);
        return;
      }
      await ctx.fetchLatest(ref);
      lastHead.set(project.id, head);
      await ctx.enqueue('commit.process', { projectId: project.id, sha: head }, { dedupeKey: `commit:${project.id}:${head}` });
    } catch (err) {
      const e = toSlipwayError(err);
      // One event per distinct failure, not one per tick.
      if (lastError.get(project.id) !== e.message) {
        lastError.set(project.id, e.message);
        await ctx.bus.emit({ kind: 'source.error', projectId: project.id, subject: `project:${project.id}`, message: `cannot read ${project.name}: ${e.message}`, data: { code: e.code } });
      }
    }
  };

  const schedule = (project: Project) => {
    if (!running || timers.has(project.id)) return;
    const tick = async () => {
      const fresh = await ctx.store.getProject(project.id);
      if (!running || !fresh) return;
      await check(fresh);
      if (!running) return;
      const jitter = fresh.pollIntervalMs * 0.1 * Math.random();
      timers.set(project.id, setTimeout(() => void tick(), fresh.pollIntervalMs + jitter).unref());
    };
    timers.set(project.id, setTimeout(() => void tick(), 0).unref());
  };

  const scanProjects = async () => {
    for (const p of await ctx.store.listProjects()) schedule(p);
  };

  return {
    start() {
      running = true;
      void scanProjects();
      scan = setInterval(() => void scanProjects(), 5000).unref();
    },
    stop() {
      running = false;
      if (scan) clearInterval(scan);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
    async pollNow(projectId) {
      const project = await ctx.store.getProject(projectId);
      if (!project) return;
      await check(project);
      schedule(project);
    },
  };
}
