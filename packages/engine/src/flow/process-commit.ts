import { decideTriggers, parseConfig, rebaseSnapshot, type Project, type SlipwayConfig, type TriggerSnapshot } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import type { JobHandler } from '../scheduler/worker.js';
import { firstLine, queueRun } from './queue-run.js';
import { workflowsAt } from './workflow-files.js';

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
    const subject = `commit:${sha}`;
    // A webhook may have queued the runs before the commit was fetched (ADR 014).
    if (!(await ctx.source.hasCommit(ref, sha))) await ctx.fetchLatest(ref);
    // The reads are independent: run them at once (each is a git process).
    const [info, config, [lastRelease], earlier] = await Promise.all([
      ctx.source.commitInfo(ref, sha),
      readConfig(ctx, project, sha),
      ctx.store.listReleases({ projectId: project.id, limit: 1 }),
      ctx.store.listRuns({ projectId: project.id, commitSha: sha, limit: 500 }),
    ]);
    if (!config) {
      await ctx.store.setProjectCommit(project.id, sha);
      return;
    }
    const base = lastRelease?.commitSha ?? null;
    const [, envs, changed, configChanged, files] = await Promise.all([
      ctx.store.replaceServices(project.id, Object.entries(config.services).map(([name, s]) => ({ name, path: s.path, dependsOn: s.dependsOn }))),
      ctx.store.syncEnvironments(project.id, Object.entries(config.environments).map(([name, e], position) => ({ name, position, targetType: e.target.type, target: e.target, policy: e.policy }))),
      base && base !== sha ? ctx.source.changedFiles(ref, base, sha) : Promise.resolve(base === sha ? [] : null),
      base ? changedServiceConfigs(ctx, project, base, config) : Promise.resolve(new Set<string>()),
      workflowsAt(ctx, project, sha, config.workflows.githubDir),
    ]);
    const snapshot: TriggerSnapshot = { sha, base, changed, configChanged: [...configChanged], config, workflows: files.map(({ file, workflow }) => ({ file, workflow })), pushes: [] };
    const { services: triggers, workflows: decisions } = decideTriggers(snapshot, project.branch);

    // Runs a webhook already queued for this commit stay; only what they missed (a truncated payload) is added.
    const queuedEarly = new Map(earlier.filter((r) => r.trigger === 'push' && r.branch === project.branch).map((r) => [r.workflow, r.id]));
    const workflows: { workflow: string; triggered: boolean; reason: string; runId?: string }[] = [];
    for (const d of decisions) {
      const runId = queuedEarly.get(d.file);
      if (runId) {
        workflows.push({ workflow: d.file, triggered: true, reason: d.triggered ? d.reason : 'queued from the webhook payload', runId });
      } else if (d.triggered) {
        const run = await queueRun(ctx, project, { file: d.file, workflow: d.workflow, sha, trigger: 'push', reason: d.reason });
        workflows.push({ workflow: d.file, triggered: true, reason: d.reason, runId: run.id });
      } else {
        workflows.push({ workflow: d.file, triggered: false, reason: d.reason });
      }
    }
    const rebased = rebaseSnapshot(ctx.snapshots.get(project.id), snapshot, project.lastCommitSha);
    if (rebased) ctx.snapshots.set(project.id, rebased);
    const on = triggers.filter((t) => t.triggered).map((t) => t.service);
    await ctx.bus.emit({
      kind: 'commit.seen',
      projectId: project.id,
      subject,
      message: `commit ${sha.slice(0, 7)} "${firstLine(info.message)}" by ${info.author}: ${on.length ? `triggers ${on.join(', ')}` : 'triggers no service'}; ${workflows.filter((w) => w.runId).length} run(s) queued`,
      data: { sha, base, author: info.author, committedAt: info.timestamp, triggers, workflows, changedFiles: changed?.length ?? null },
    });
    await ctx.store.setProjectCommit(project.id, sha);
    // Environments taken out of slipway.yaml are retired (their services deleted, their history kept).
    for (const env of envs.filter((e) => !(e.name in config.environments))) await ctx.enqueue('environment.retire', { environmentId: env.id, commitSha: sha }, { dedupeKey: `retire:${env.id}` });
    if (!workflows.some((w) => w.runId)) await ctx.enqueue('release.evaluate', { projectId: project.id, sha }, { dedupeKey: `release:${project.id}:${sha}` });
  };
}

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
