import { cronMatches, type Project } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { queueRun } from '../flow/queue-run.js';
import { workflowsAt } from '../flow/workflow-files.js';
import type { JobHandler } from '../scheduler/worker.js';

const minuteMs = 60_000;
/** After a pause (the server was down), at most this many missed minutes are looked at: GitHub does not catch up either. */
const maxCatchUpMinutes = 5;

export interface Schedules {
  start(): void;
  stop(): void;
  /** Looks at the minutes since the last check; exposed for tests. */
  tick(): Promise<void>;
}

/**
 * Runs `on.schedule` workflows at the head of each project's branch. Each due minute becomes a queue item whose dedupe
 * key names the project, the workflow and the minute, so that several servers on one database fire it once.
 */
export function createSchedules(ctx: EngineContext, intervalMs = 15_000): Schedules {
  let timer: NodeJS.Timeout | undefined;
  let checkedUpTo = Math.floor(ctx.clock.now().getTime() / minuteMs) * minuteMs;
  const parsed = new Map<string, Awaited<ReturnType<typeof workflowsAt>>>();

  const workflowsOf = async (project: Project) => {
    const key = `${project.id}@${project.lastCommitSha}`;
    if (!parsed.has(key)) parsed.set(key, await workflowsAt(ctx, project, project.lastCommitSha!));
    return parsed.get(key)!;
  };

  const tick = async () => {
    const now = Math.floor(ctx.clock.now().getTime() / minuteMs) * minuteMs;
    const minutes: Date[] = [];
    for (let m = Math.max(checkedUpTo + minuteMs, now - (maxCatchUpMinutes - 1) * minuteMs); m <= now; m += minuteMs) minutes.push(new Date(m));
    checkedUpTo = now;
    if (minutes.length === 0) return;
    for (const project of await ctx.store.listProjects()) {
      if (!project.lastCommitSha) continue;
      for (const { file, workflow } of await workflowsOf(project).catch(() => [])) {
        const on = workflow?.on as { schedule?: { cron: string; timezone?: string }[] } | undefined;
        for (const entry of on?.schedule ?? []) {
          for (const minute of minutes.filter((m) => cronMatches(entry.cron, m, entry.timezone))) {
            await ctx.enqueue('schedule.fire', { projectId: project.id, file, cron: entry.cron, minute: minute.toISOString() }, { dedupeKey: `schedule:${project.id}:${file}:${minute.toISOString()}` });
          }
        }
      }
    }
  };

  return {
    start() {
      timer ??= setInterval(() => void tick().catch((err: unknown) => ctx.logger.warn({ err: String(err) }, 'schedule check failed')), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    tick,
  };
}

/** Queues the run of a due schedule, unless one was already queued for that minute (a late duplicate). */
export function createScheduleHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const { projectId, file, cron, minute } = item.payload as { projectId: string; file: string; cron: string; minute: string };
    const project = await ctx.store.getProject(projectId);
    if (!project?.lastCommitSha) return;
    const recent = await ctx.store.listRuns({ projectId, limit: 200 });
    if (recent.some((r) => r.trigger === 'schedule' && r.workflow === file && r.createdAt >= minute)) return;
    const workflow = (await workflowsAt(ctx, project, project.lastCommitSha)).find((w) => w.file === file)?.workflow;
    if (!workflow) return;
    await queueRun(ctx, project, { file, workflow, sha: project.lastCommitSha, trigger: 'schedule', reason: `on.schedule "${cron}" at ${minute.slice(0, 16).replace('T', ' ')} UTC` });
  };
}
