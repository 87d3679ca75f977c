import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveGitHostSettings, SlipwayError, systemClock, validateDriver, type Clock, type Executor, type Promotion, type SourceProvider, type Store, type TargetDriver, type Project, type PlanPreview, type PullRequestEvent, type Run, type RunDetail, type WorkflowSummary, type GitHost, type GitHostInput, type GitHostKind, type PushedChanges, type Approval, type Role, type DoraReport, type EnvironmentDiff, type EnvironmentResources, type Notifier, type ReleaseVerification, type Rollout } from '@slipway/core';
import { workflowSummaries } from './flow/workflow-files.js';
import { dispatch } from './flow/dispatch.js';
import { handlePullRequest, planPreview } from './flow/pull-request.js';
import { createBlobStore } from './blobs/blob-store.js';
import { createCiStorage } from './blobs/ci-storage.js';
import { cancelRun } from './runs/cancellation.js';
import { rerun } from './runs/rerun.js';
import { createSecretResolver } from './secrets/secret-resolver.js';
import { createFeedback } from './feedback/feedback.js';
import { createNotifications } from './notifications/notifications.js';
import type { SecretBox } from './secrets/secret-box.js';
import { jobKinds, type EngineContext, type ImageTools, type JobKind } from './context.js';
import { createSigningKeys } from './supply-chain/signing-key.js';
import { verifyRelease } from './supply-chain/verify-release.js';
import { requestPromotion, resumePromotions } from './deploy/promote.js';
import { approve } from './deploy/approve.js';
import { doraReport } from './insights/dora-report.js';
import { environmentDiff } from './deploy/environment-diff.js';
import { environmentResources } from './deploy/environment-resources.js';
import { createPromotionHandler } from './deploy/evaluate-promotion.js';
import { createRetireHandler } from './deploy/retire-environment.js';
import { createReconcileHandler, promoteToNext } from './deploy/reconcile-handler.js';
import { reconcileAfterChange } from './deploy/reconcile-after-change.js';
import { createRolloutHandler } from './deploy/rollout/rollout-handler.js';
import { rolloutAction, type RolloutAction } from './deploy/rollout/rollout-actions.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { createCommitHandler } from './flow/process-commit.js';
import { createReleaseHandler } from './flow/evaluate-release.js';
import { silentLogger, type Logger } from './logger.js';
import { createHostExecutor } from '@slipway/executor-host';
import { createRunHandler } from './runs/execute-run.js';
import { createWorker, type JobHandler } from './scheduler/worker.js';
import { createFetchCoalescer } from './sources/coalesced-fetch.js';
import { createBranchPushHandler, handleBranchPush } from './sources/branches.js';
import { createPoller } from './sources/poller.js';
import { handlePush, type PushOutcome } from './sources/push.js';
import { createScheduleHandler, createSchedules } from './sources/schedules.js';

export interface EngineOptions {
  store: Store;
  source: SourceProvider;
  driver: TargetDriver;
  /** More targets by type (`docker`); environments whose target is not here fail to deploy with a clear error. */
  drivers?: Partial<Record<string, TargetDriver>>;
  dataDir: string;
  executor?: Executor;
  /** Runs jobs with `container:` or `services:`. */
  dockerExecutor?: Executor;
  /** Runs jobs with `runs-on: kubernetes`. */
  kubernetesExecutor?: Executor;
  /** Opens stored secrets for the runs; without it a job that references a secret fails with SLW_SECRET_MISSING. */
  secretBox?: SecretBox;
  actionCacheDir?: string;
  /** Where the dashboard is (github.server_url); known once the server listens. */
  serverUrl?: () => string;
  /** Git host adapters by kind: with them (and a secret box), commit statuses and plan comments go to each project's host. */
  gitHosts?: Record<GitHostKind, GitHost>;
  /** Image builds and the registry (for projects with `images`); signatures use the key kept in the secret box. */
  images?: Omit<ImageTools, 'signingKey'>;
  /** Sends promotions, rollbacks, approvals needed and drift to each project's NOTIFY_WEBHOOK_URL (with a secret box). */
  notifier?: Notifier;
  logger?: Logger;
  clock?: Clock;
  /** How often every environment is checked for drift. */
  resyncMs?: number;
  concurrency?: number;
  leaseMs?: number;
}

export interface Engine {
  readonly bus: EventBus;
  readonly store: Store;
  readonly driver: TargetDriver;
  start(): Promise<void>;
  stop(): Promise<void>;
  addProject(input: { repoUrl: string; name?: string; branch?: string; ciBranches?: string[]; pollIntervalMs?: number; gitHost?: GitHostInput }): Promise<Project>;
  /** Sets (or, with null, removes) where the project's commit statuses and comments go; the API URL and repository default from the repository URL. */
  setGitHost(project: string, input: GitHostInput | null): Promise<Project>;
  pollNow(projectId: string): Promise<void>;
  /** A verified push to the project's branch (a webhook): fetches at once and queues the commit, skipping the ls-remote of a poll. */
  handlePush(projectId: string, sha: string, changes?: PushedChanges): Promise<PushOutcome>;
  /**
   * A verified pull request event (a webhook) for the project: its head is fetched, the workflows with a matching
   * `on.pull_request` are queued (no secrets for a fork, never a release), and the plan preview is announced.
   */
  handlePullRequest(projectId: string, pr: PullRequestEvent): Promise<{ runs: RunDetail[] }>;
  /** A verified push to one of the project's CI branches (a webhook): its runs are queued. False when the branch is not followed or the commit is known. */
  handleBranchPush(projectId: string, branch: string, sha: string): Promise<boolean>;
  /** What merging a branch, or a pull request, into the project's branch would rebuild and change in each environment. */
  planPreview(project: string, target: { branch: string } | { pullRequest: number }): Promise<PlanPreview>;
  /** The workflows at the head of the project's branch, with their events, schedules and dispatch inputs. */
  listWorkflows(project: string): Promise<WorkflowSummary[]>;
  /** Starts a workflow with `on.workflow_dispatch` at the head of the project's branch, with its inputs checked. */
  dispatch(project: string, workflow: string, inputs: Run['inputs']): Promise<RunDetail>;
  /** Cancels a queued or running run. */
  cancelRun(runId: string, reason?: string): Promise<Run>;
  /** Runs a finished run again as its next attempt: every job, or only the failed ones (jobs that succeeded keep their outputs). */
  rerun(runId: string, options: { failedOnly: boolean }): Promise<Run>;
  /** Asks for a release in an environment by hand (role deployer); it deploys once its gates pass. */
  deploy(environmentId: string, releaseId: string): Promise<Promotion>;
  /** Rolls back to the release before the current one that was healthy here (or `toReleaseId`), and holds auto-promotion. */
  rollback(environmentId: string, toReleaseId?: string): Promise<Promotion>;
  /** The desired state of an environment (its release, or another) against what runs there, per service. */
  diff(environmentId: string, releaseId?: string): Promise<EnvironmentDiff>;
  /** Each service's objects on the environment's target (Kubernetes) with their health and drift; empty where the target has none. */
  environmentResources(environmentId: string): Promise<EnvironmentResources>;
  /** Rollouts (canary, blue-green), newest first. */
  listRollouts(query: { environmentId?: string; projectId?: string; limit?: number }): Promise<Rollout[]>;
  /** By hand: promote (the next step, or `full`), pause, resume or abort a rollout. */
  rolloutAction(rolloutId: string, action: RolloutAction, actor: string, options?: { full?: boolean }): Promise<Rollout>;
  /** Verifies every image of a release: provenance signature and subject, builder, and what the registry holds. */
  verifyRelease(releaseId: string): Promise<ReleaseVerification>;
  /** Slipway's public signing key (PKIX PEM) and its keyid; undefined without image tools and a secret box. */
  signingKey(): Promise<{ keyid: string; publicKey: string } | undefined>;
  /** DORA's four keys of a project's environment (default the last) over a period (default the last 30 days). */
  insights(project: string, options?: { environment?: string; from?: string; to?: string }): Promise<DoraReport>;
  /** Approves a pending promotion as `actor`; the promotion goes on once it has the approvals its environment needs. */
  approve(promotionId: string, actor: { name: string; role: Role }, reason: string | null): Promise<{ promotion: Promotion; approvals: Approval[] }>;
}

const keepFinishedJobsMs = 24 * 3600_000;

/** Wires the flow: poller → commit → runs → release → promotion → environment reconciler, all over the durable queue. */
export function createEngine(options: EngineOptions): Engine {
  const bus = createEventBus(options.store);
  const logger = options.logger ?? silentLogger;
  let wake: () => void = () => {};
  const ctx: EngineContext = {
    store: options.store,
    source: options.source,
    driver: validateDriver(options.driver),
    driverFor(env) {
      const driver = env.targetType === options.driver.type ? ctx.driver : options.drivers?.[env.targetType];
      if (!driver) throw new SlipwayError('SLW_CONFIG_INVALID', `environment ${env.name} runs on the ${env.targetType} target, which this server does not have`, { hint: 'Use target type local, or start the server where that target is available.' });
      return driver;
    },
    executor: options.executor ?? createHostExecutor(),
    ...(options.dockerExecutor ? { dockerExecutor: options.dockerExecutor } : {}),
    ...(options.kubernetesExecutor ? { kubernetesExecutor: options.kubernetesExecutor } : {}),
    ...(options.actionCacheDir ? { actionCacheDir: options.actionCacheDir } : {}),
    ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
    cancellers: new Map(),
    fetchLatest: createFetchCoalescer(options.source),
    snapshots: new Map(),
    bus,
    logger,
    clock: options.clock ?? systemClock,
    dataDir: options.dataDir,
    async enqueue(kind, payload, opts) {
      await options.store.enqueue({ kind, payload, ...opts });
      wake();
    },
  };
  if (options.secretBox) {
    const resolver = createSecretResolver(options.store, options.secretBox);
    ctx.secrets = (projectId, names) => resolver.resolve(projectId, names);
    if (options.images) ctx.images = { ...options.images, signingKey: createSigningKeys(options.store, options.secretBox) };
  }
  const blobs = createBlobStore(join(options.dataDir, 'blobs'));
  ctx.ciStorage = (projectId) => createCiStorage({ store: options.store, blobs, projectId });
  const handlers: Record<JobKind, JobHandler> = {
    'commit.process': createCommitHandler(ctx),
    'run.execute': createRunHandler(ctx),
    'schedule.fire': createScheduleHandler(ctx),
    'branch.push': createBranchPushHandler(ctx),
    'release.evaluate': createReleaseHandler(ctx),
    'promotion.evaluate': createPromotionHandler(ctx),
    'environment.retire': createRetireHandler(ctx),
    'environment.reconcile': createReconcileHandler(ctx),
    'rollout.step': createRolloutHandler(ctx),
  };
  // CI runs take up to four slots; a fifth is kept for the control plane, which is also claimed first.
  const worker = createWorker({
    store: options.store,
    handlers,
    logger,
    concurrency: options.concurrency ?? 5,
    priorityKinds: jobKinds.filter((k) => k !== 'run.execute'),
    reservedSlots: 1,
    leaseMs: options.leaseMs ?? 15_000,
  });
  wake = () => worker.wake();
  const feedback = options.gitHosts ? createFeedback(ctx, { hosts: options.gitHosts }) : undefined;
  const notifications = options.notifier ? createNotifications(ctx, options.notifier) : undefined;
  const poller = createPoller(ctx);
  const schedules = createSchedules(ctx);
  let resync: NodeJS.Timeout | undefined;
  const unsubscribe: (() => void)[] = [];
  let pruner: NodeJS.Timeout | undefined;

  const resyncAll = async () => {
    for (const env of await options.store.listEnvironments()) {
      if (env.desiredReleaseId) await ctx.enqueue('environment.reconcile', { environmentId: env.id }, { dedupeKey: `env:${env.id}` });
    }
  };

  return {
    bus,
    store: options.store,
    driver: ctx.driver,
    async start() {
      await mkdir(options.dataDir, { recursive: true });
      feedback?.start();
      notifications?.start();
      worker.start();
      poller.start();
      schedules.start();
      await resumePromotions(ctx, (env, release) => promoteToNext(ctx, env, release));
      await resyncAll();
      // Targets that watch (Kubernetes) report a change as it happens: drift is reconciled at once, not at the next
      // resync, also when it comes while that environment's reconcile runs.
      for (const driver of new Set([ctx.driver, ...Object.values(options.drivers ?? {})])) {
        const off = driver?.onChange?.((environmentId) => void reconcileAfterChange(options.store, () => wake(), environmentId).catch(() => {}));
        if (off) unsubscribe.push(off);
      }
      resync = setInterval(() => void resyncAll().catch(() => {}), options.resyncMs ?? 5_000).unref();
      // Finished jobs are kept a day for the record, then deleted: the resync alone adds one per environment every 5 s.
      const prune = () => void options.store.pruneQueue(new Date(ctx.clock.now().getTime() - keepFinishedJobsMs).toISOString()).catch(() => {});
      prune();
      pruner = setInterval(prune, 3_600_000).unref();
    },
    async stop() {
      if (resync) clearInterval(resync);
      unsubscribe.splice(0).forEach((off) => off());
      if (pruner) clearInterval(pruner);
      poller.stop();
      schedules.stop();
      await worker.stop();
      await feedback?.stop();
      await notifications?.stop();
    },
    async addProject(input) {
      const branch = input.branch ?? 'main';
      const name = input.name ?? nameFromUrl(input.repoUrl);
      // Fail early, with the source's own error, when the remote cannot be read.
      const gitHost = input.gitHost ? resolveGitHostSettings(input.gitHost, input.repoUrl) : null;
      await options.source.remoteHead({ projectId: 'probe', repoUrl: input.repoUrl, branch });
      let project = await options.store.createProject({ name, repoUrl: input.repoUrl, branch, ciBranches: input.ciBranches ?? [], pollIntervalMs: input.pollIntervalMs ?? 15_000 });
      if (gitHost) {
        await options.store.setProjectGitHost(project.id, gitHost);
        project = { ...project, gitHost };
      }
      await bus.emit({ kind: 'project.added', projectId: project.id, subject: `project:${project.id}`, message: `project ${project.name} added (${branch})`, data: { branch } });
      void poller.pollNow(project.id);
      return project;
    },
    pollNow: (projectId) => poller.pollNow(projectId),
    async setGitHost(idOrName, input) {
      const project = await options.store.getProject(idOrName);
      if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${idOrName} not found`, { hint: 'List projects with `slipway projects list`.' });
      const gitHost = input ? resolveGitHostSettings(input, project.repoUrl) : null;
      await options.store.setProjectGitHost(project.id, gitHost);
      await bus.emit({ kind: 'project.updated', projectId: project.id, subject: `project:${project.id}`, message: gitHost ? `${project.name} posts commit statuses to ${gitHost.kind} (${gitHost.repository})` : `${project.name} posts no commit statuses`, data: { gitHost } });
      return { ...project, gitHost };
    },
    handlePush: (projectId, sha, changes) => handlePush(ctx, projectId, sha, changes),
    handlePullRequest: (projectId, pr) => handlePullRequest(ctx, projectId, pr),
    planPreview: (project, target) => planPreview(ctx, project, target),
    async handleBranchPush(projectId, branch, sha) {
      const project = await options.store.getProject(projectId);
      return project ? handleBranchPush(ctx, project, branch, sha) : false;
    },
    dispatch: (project, workflow, inputs) => dispatch(ctx, project, workflow, inputs),
    async listWorkflows(idOrName) {
      const project = await options.store.getProject(idOrName);
      if (!project) throw new SlipwayError('SLW_NOT_FOUND', `project ${idOrName} not found`, { hint: 'List projects with `slipway projects list`.' });
      return workflowSummaries(ctx, project);
    },
    cancelRun: (runId, reason) => cancelRun(ctx, runId, reason ?? 'cancelled by a user'),
    rerun: (runId, opts) => rerun(ctx, runId, opts),
    async deploy(environmentId, releaseId) {
      const env = await options.store.getEnvironment(environmentId);
      const release = await options.store.getRelease(releaseId);
      if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} not found`);
      if (!release || release.projectId !== env.projectId) throw new SlipwayError('SLW_NOT_FOUND', `release ${releaseId} not found in the environment's project`);
      return requestPromotion(ctx, env, release, { kind: 'promote', manual: true, reason: `manual deploy of v${release.version}` });
    },
    approve: (promotionId, actor, reason) => approve(ctx, promotionId, actor, reason),
    insights: (project, opts) => doraReport(ctx, project, opts),
    diff: (environmentId, releaseId) => environmentDiff(ctx, environmentId, releaseId),
    environmentResources: (environmentId) => environmentResources(ctx, environmentId),
    listRollouts: (query) => options.store.listRollouts(query),
    rolloutAction: (rolloutId, action, actor, opts) => rolloutAction(ctx, rolloutId, action, actor, opts),
    async verifyRelease(releaseId) {
      const release = await options.store.getRelease(releaseId);
      if (!release) throw new SlipwayError('SLW_NOT_FOUND', `release ${releaseId} not found`, { hint: 'List releases with `slipway releases`.' });
      return verifyRelease(ctx, release);
    },
    async signingKey() {
      if (!ctx.images) return undefined;
      const key = await ctx.images.signingKey();
      return { keyid: key.keyid, publicKey: key.publicPem };
    },
    async rollback(environmentId, toReleaseId) {
      const env = await options.store.getEnvironment(environmentId);
      if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} not found`);
      const current = env.desiredReleaseId ? await options.store.getRelease(env.desiredReleaseId) : undefined;
      let release;
      if (toReleaseId) {
        release = await options.store.getRelease(toReleaseId);
        if (!release || release.projectId !== env.projectId) throw new SlipwayError('SLW_NOT_FOUND', `release ${toReleaseId} not found in the environment's project`, { hint: 'List releases with `slipway releases`.' });
        if (release.id === env.desiredReleaseId) throw new SlipwayError('SLW_CONFLICT', `${env.name} already runs v${release.version}`);
      } else {
        const target = (await options.store.listPromotions({ environmentId, phase: 'succeeded', limit: 500 })).find((p) => p.releaseId !== env.desiredReleaseId);
        release = target ? await options.store.getRelease(target.releaseId) : undefined;
      }
      if (!release) throw new SlipwayError('SLW_CONFLICT', `${env.name} has no earlier release that was healthy`, { hint: 'Name one with `slipway rollback <env> --to <release>`.' });
      await options.store.updateEnvironment(env.id, {
        hold: `rolled back by hand from v${current?.version ?? '?'} to v${release.version}; auto-promotion resumes with a newer release`,
        holdVersion: Math.max(current?.version ?? release.version, env.holdVersion ?? 0),
      });
      return requestPromotion(ctx, env, release, { kind: 'rollback', manual: true, reason: `manual rollback from v${current?.version ?? '?'}`, ...(current ? { fromVersion: current.version } : {}) });
    },
  };
}

function nameFromUrl(url: string): string {
  const base = url.replace(/\/+$/, '').split(/[/:]/).pop() ?? 'project';
  return base.replace(/\.git$/, '').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '') || 'project';
}
