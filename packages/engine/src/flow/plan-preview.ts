import { eventTriggers, parseConfig, selectServices, type EnvironmentRecord, type PlanPreview, type Project, type Release, type ReleaseService, type SlipwayConfig } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';
import { fieldChanges, renderServices } from '../deploy/desired-diff.js';
import { serviceRevision } from './revision.js';
import { workflowsAt } from './workflow-files.js';

export interface PlanTarget {
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  /** For a pull request: its number and activity, to say which workflows it runs. */
  pullRequest?: { action: string };
}

/**
 * What merging `head` into `base` would do, computed as the release flow would: a service is rebuilt when its revision
 * (the tree of its paths) differs from the last release's, and each environment's desired state is rendered for the
 * last release and for that release with the rebuilt services, then compared field by field. Nothing is built or run.
 */
export async function computePlan(ctx: EngineContext, project: Project, target: PlanTarget): Promise<PlanPreview> {
  const ref = sourceRef(project);
  const mergeBase = await ctx.source.mergeBase(ref, target.base.sha, target.head.sha);
  const changedFiles = await ctx.source.changedFiles(ref, mergeBase, target.head.sha);
  const plan: PlanPreview = { projectId: project.id, head: target.head, base: target.base, mergeBase, changedFiles, services: [], environments: [], workflows: [], errors: [] };
  const parsed = parseConfig((await ctx.source.readFile(ref, target.head.sha, 'slipway.yaml')) ?? '', 'slipway.yaml');
  if (!parsed.value) {
    plan.errors = parsed.errors.length > 0 ? parsed.errors.map((e) => e.format()) : ['slipway.yaml: SLW_CONFIG_NOT_FOUND there is no slipway.yaml at the head'];
    return plan;
  }
  const config = parsed.value;
  const [last] = await ctx.store.listReleases({ projectId: project.id, limit: 1 });
  const proposed = await proposedRelease(ctx, project, config, target.head.sha, last);
  const reasons = new Map(selectServices(config, mergeBase === null ? null : changedFiles, await configChanges(ctx, project, config, mergeBase)).map((t) => [t.service, t]));
  plan.services = Object.keys(config.services).map((service) => {
    const rebuild = proposed.changedServices.includes(service);
    const why = reasons.get(service);
    return { service, rebuild, reason: rebuild ? (why?.triggered ? why.reason : 'its files differ from the last release') : (why?.reason ?? 'unchanged') };
  });
  const envs = await ctx.store.listEnvironments(project.id);
  for (const name of Object.keys(config.environments)) {
    const env = envs.find((e) => e.name === name) ?? ({ id: `planned-${name}`, projectId: project.id, name, position: 0, targetType: 'local', desiredReleaseId: null, lastGoodReleaseId: null, hold: null } as unknown as EnvironmentRecord);
    const current = env.desiredReleaseId ? await ctx.store.getRelease(env.desiredReleaseId) : undefined;
    plan.environments.push({ environment: name, currentRelease: current?.version ?? null, services: await diffEnvironment(ctx, env, current, proposed) });
  }
  if (target.pullRequest) {
    for (const { file, workflow } of await workflowsAt(ctx, project, target.head.sha, config.workflows.githubDir)) {
      const decision = workflow ? eventTriggers(workflow, { name: 'pull_request', branch: target.base.ref, changed: mergeBase === null ? null : changedFiles, types: target.pullRequest.action }) : { triggered: false, reason: 'workflow is invalid' };
      plan.workflows.push({ workflow: file, triggered: decision.triggered, reason: decision.reason });
    }
  }
  return plan;
}

/** The release merging would make: the last one, with every service whose revision moved rebuilt at the head. */
async function proposedRelease(ctx: EngineContext, project: Project, config: SlipwayConfig, sha: string, last: Release | undefined): Promise<Release> {
  const services: Record<string, ReleaseService> = {};
  const changed: string[] = [];
  for (const [name, spec] of Object.entries(config.services)) {
    const revision = await serviceRevision(ctx.source, sourceRef(project), sha, spec, config.images);
    const before = last?.services[name];
    if (before?.revision === revision) {
      services[name] = before;
      continue;
    }
    changed.push(name);
    const overrides = Object.fromEntries(Object.entries(config.environments).map(([env, e]) => [env, e.overrides[name] ?? {}]));
    services[name] = { revision, commitSha: sha, artifact: '(built when merged)', config: { ...spec, overrides } } as ReleaseService;
  }
  return { id: 'plan', projectId: project.id, version: (last?.version ?? 0) + 1, commitSha: sha, services, changedServices: changed, createdAt: new Date(0).toISOString() } as Release;
}

async function configChanges(ctx: EngineContext, project: Project, config: SlipwayConfig, mergeBase: string | null): Promise<Set<string>> {
  if (!mergeBase) return new Set();
  const old = parseConfig((await ctx.source.readFile(sourceRef(project), mergeBase, 'slipway.yaml')) ?? '').value;
  return new Set(Object.keys(config.services).filter((name) => !old || JSON.stringify(old.services[name]) !== JSON.stringify(config.services[name])));
}

/** Field-level changes of an environment's desired state, from the release it runs to the proposed one. */
async function diffEnvironment(ctx: EngineContext, env: EnvironmentRecord, current: Release | undefined, proposed: Release): Promise<PlanPreview['environments'][number]['services']> {
  const statuses = env.id.startsWith('planned-') ? [] : await ctx.store.listServiceStatus(env.id);
  const before = await renderServices(env, current, statuses);
  const after = await renderServices(env, proposed, statuses);
  const out: PlanPreview['environments'][number]['services'] = [];
  for (const service of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(service);
    const b = after.get(service);
    if (!a) out.push({ service, change: 'added', fields: fieldChanges(undefined, b!, proposed) });
    else if (!b) out.push({ service, change: 'removed', fields: [] });
    else {
      const changes = fieldChanges(a, b, proposed, current);
      if (changes.length > 0) out.push({ service, change: 'changed', fields: changes });
    }
  }
  return out;
}
