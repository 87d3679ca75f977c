import { computeDora, doraEventKinds, SlipwayError, type DoraReport, type SlipwayEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';

const page = 5000;
const defaultDays = 30;

/**
 * DORA's four keys of a project's environment (default: the last one, production) over a period (default: the last
 * 30 days), from the project's event log.
 */
export async function doraReport(ctx: EngineContext, projectIdOrName: string, options: { environment?: string; from?: string; to?: string } = {}): Promise<DoraReport> {
  const project = await ctx.store.getProject(projectIdOrName);
  if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${projectIdOrName} not found`, { hint: 'List projects with `slipway projects list`.' });
  const envs = await ctx.store.listEnvironments(project.id);
  const environment = options.environment ?? envs.at(-1)?.name;
  if (!environment || !envs.some((e) => e.name === environment)) throw new SlipwayError('SLW_NOT_FOUND', `environment ${options.environment ?? '(none)'} not found in ${project.name}`, { hint: `Its environments: ${envs.map((e) => e.name).join(', ') || 'none yet'}.` });
  const to = options.to ? parseTime(options.to, 'to') : ctx.clock.now();
  const from = options.from ? parseTime(options.from, 'from') : new Date(to.getTime() - defaultDays * 86_400_000);
  if (from >= to) throw new SlipwayError('SLW_USAGE', `the period is empty: from ${from.toISOString()} is not before to ${to.toISOString()}`);
  // Every event of these kinds counts, also before the period: lead times need the commits and releases behind a deploy.
  const events: SlipwayEvent[] = [];
  for (let after = 0; ; ) {
    const batch = await ctx.store.listEvents({ projectId: project.id, kinds: [...doraEventKinds], afterSeq: after, limit: page });
    events.push(...batch);
    if (batch.length < page) break;
    after = batch.at(-1)!.seq;
  }
  return computeDora(events, environment, from, to);
}

function parseTime(value: string, what: string): Date {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new SlipwayError('SLW_USAGE', `--${what} "${value}" is not a date`, { hint: 'Use ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00:00Z.' });
  return t;
}
