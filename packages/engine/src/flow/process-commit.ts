import { isCallJob, parseConfig, parseWorkflow, pushTriggers, selectServices, type Project, type SlipwayConfig } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { concurrencyOf } from '../runs/concurrency.js';
import type { JobHandler } from '../scheduler/worker.js';

/**
 * Handles a new head commit: reads slipway.yaml, decides which services and workflows it triggers (against the last
 * released commit, so that nothing unreleased escapes CI), and queues the runs.
 */
export function createCommitHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const project = await ctx.store.getProject(String(item.payload.projectId));
    const sha = String(item.payload.sha);
    if (!project || project.lastCommitSha === sha) return;
    const ref = sourceRef(project);
    const info = await ctx.source.commitInfo(ref, sha);
    const subject = `commit:${sha}`;
    const config = await readConfig(ctx, project, sha);
    if (!config) {
      await ctx.store.setProjectCommit(project.id, sha);
      return;
    }
    await ctx.store.replaceServices(project.id, Object.entries(config.services).map(([name, s]) => ({ name, path: s.path, dependsOn: s.dependsOn })));
    await ctx.store.syncEnvironments(project.id, Object.entries(config.environments).map(([name, e], position) => ({ name, position, targetType: e.target.type })));

    const [lastRelease] = await ctx.store.listReleases({ projectId: project.id, limit: 1 });
    const base = lastRelease?.commitSha ?? null;
    const changed = base && base !== sha ? await ctx.source.changedFiles(ref, base, sha) : base === sha ? [] : null;
    const configChanged = base ? await changedServiceConfigs(ctx, project, base, config) : new Set<string>();
    const triggers = selectServices(config, changed, configChanged);

    const dirs = ['.slipway/workflows', ...(config.workflows.githubDir ? ['.github/workflows'] : [])];
    const files = (await Promise.all(dirs.map((d) => ctx.source.listFiles(ref, sha, d)))).flat().filter((f) => /\.ya?ml$/.test(f));
    const workflows: { workflow: string; triggered: boolean; reason: string; runId?: string }[] = [];
    for (const file of files) {
      const text = (await ctx.source.readFile(ref, sha, file)) ?? '';
      const parsed = parseWorkflow(text, file);
      const decision = parsed.value ? pushTriggers(parsed.value, { branch: project.branch, changed }) : { triggered: true, reason: 'workflow is invalid' };
      if (!decision.triggered) {
        workflows.push({ workflow: file, ...decision });
        continue;
      }
      const jobs = Object.entries(parsed.value?.jobs ?? {}).map(([name, j]) => ({ name, needs: j.needs ?? [], steps: isCallJob(j) ? [] : j.steps.map((s, i) => ({ name: s.name ?? (s.run ? firstLine(s.run) : (s.uses ?? `step ${i + 1}`)) })) }));
      const github = { repository: project.name, ref: `refs/heads/${project.branch}`, ref_name: project.branch, sha, event_name: 'push', workflow: parsed.value?.name ?? file };
      const concurrency = parsed.value ? concurrencyOf(parsed.value, github, file) : null;
      const run = await ctx.store.createRun({ projectId: project.id, workflow: file, workflowName: parsed.value?.name ?? file, commitSha: sha, branch: project.branch, trigger: 'push', concurrency, jobs });
      workflows.push({ workflow: file, ...decision, runId: run.id });
      await ctx.bus.emit({ kind: 'run.queued', projectId: project.id, subject: `run:${run.id}`, message: `run #${run.number} ${run.workflowName} queued: ${decision.reason}`, data: { commitSha: sha, workflow: file } });
      await ctx.enqueue('run.execute', { runId: run.id }, { dedupeKey: `run:${run.id}` });
    }
    const on = triggers.filter((t) => t.triggered).map((t) => t.service);
    await ctx.bus.emit({
      kind: 'commit.seen',
      projectId: project.id,
      subject,
      message: `commit ${sha.slice(0, 7)} "${firstLine(info.message)}" by ${info.author}: ${on.length ? `triggers ${on.join(', ')}` : 'triggers no service'}; ${workflows.filter((w) => w.runId).length} run(s) queued`,
      data: { sha, base, author: info.author, committedAt: info.timestamp, triggers, workflows, changedFiles: changed?.length ?? null },
    });
    await ctx.store.setProjectCommit(project.id, sha);
    if (!workflows.some((w) => w.runId)) await ctx.enqueue('release.evaluate', { projectId: project.id, sha }, { dedupeKey: `release:${project.id}:${sha}` });
  };
}

const firstLine = (s: string) => s.trim().split('\n')[0]!.slice(0, 72);

async function readConfig(ctx: EngineContext, project: Project, sha: string): Promise<SlipwayConfig | undefined> {
  const text = await ctx.source.readFile(sourceRef(project), sha, 'slipway.yaml');
  const parsed = text === undefined ? undefined : parseConfig(text, 'slipway.yaml');
  if (parsed?.value) return parsed.value;
  const errors = parsed ? parsed.errors.map((e) => e.format()) : ['slipway.yaml: SLW_CONFIG_NOT_FOUND no slipway.yaml at the repository root'];
  await ctx.bus.emit({ kind: 'config.invalid', projectId: project.id, subject: `commit:${sha}`, message: `commit ${sha.slice(0, 7)} has an invalid slipway.yaml; nothing runs: ${errors[0]}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`, data: { errors } });
  return undefined;
}

/** Services whose config in slipway.yaml differs from the one at `base`. */
async function changedServiceConfigs(ctx: EngineContext, project: Project, base: string, config: SlipwayConfig): Promise<Set<string>> {
  const text = await ctx.source.readFile(sourceRef(project), base, 'slipway.yaml');
  const old = text === undefined ? undefined : parseConfig(text).value;
  const out = new Set<string>();
  for (const [name, spec] of Object.entries(config.services)) {
    if (!old || JSON.stringify(old.services[name]) !== JSON.stringify(spec)) out.add(name);
  }
  return out;
}
