import type { EnvironmentPolicy, TargetConfig } from '../config/schema.js';
import type { Approval, EnvironmentRecord, Deployment, Promotion, ServiceStatus } from '../model/environment.js';
import type { EventKind, NewEvent, SlipwayEvent } from '../model/event.js';
import type { GitHostSettings } from '../model/git-host.js';
import type { Project, ServiceRecord } from '../model/project.js';
import type { Artifact, CacheEntry } from '../model/ci-storage.js';
import type { Release, ReleaseService } from '../model/release.js';
import type { Rollout } from '../rollout/rollout.js';
import type { Job, LogLine, Run, RunDetail, Step } from '../model/run.js';
import type { SealedSecret, SecretSummary } from '../model/secret.js';
import type { ApiToken, Role } from '../model/token.js';

/** A row of the durable job queue. A claim gives its owner a lease until `leaseExpiresAt`. */
export interface QueueItem {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  status: 'ready' | 'leased' | 'done' | 'dead';
  /** How many times the item was claimed; 2 or more means an earlier attempt failed or its lease expired. */
  attempts: number;
  maxAttempts: number;
  runAfter: string;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: string;
}

export interface NewRunInput {
  projectId: string;
  workflow: string;
  workflowName: string;
  commitSha: string;
  branch: string;
  trigger: Run['trigger'];
  concurrency?: Run['concurrency'];
  inputs?: Run['inputs'];
  pullRequest?: Run['pullRequest'];
  jobs: { name: string; needs: string[]; steps: { name: string }[] }[];
}

export interface Page {
  limit?: number;
}

/**
 * The Store port: everything Slipway persists. Implemented over SQLite and PostgreSQL with Kysely; both pass the same
 * conformance suite. Times are ISO-8601 strings in UTC. Lists are newest first unless the method says otherwise.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;

  createProject(input: Pick<Project, 'name' | 'repoUrl' | 'branch' | 'pollIntervalMs'> & Partial<Pick<Project, 'ciBranches'>>): Promise<Project>;
  /** Looks a project up by id or by name. */
  getProject(idOrName: string): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;
  setProjectCommit(projectId: string, sha: string): Promise<void>;
  /** Sets where the project's commit statuses and comments go; null stops them. */
  setProjectGitHost(projectId: string, gitHost: GitHostSettings | null): Promise<void>;
  /** The last head seen of each followed CI branch (see Project.ciBranches). */
  getBranchHeads(projectId: string): Promise<Record<string, string>>;
  setBranchHead(projectId: string, branch: string, sha: string): Promise<void>;
  /** Replaces the set of services of a project. */
  replaceServices(projectId: string, services: Omit<ServiceRecord, 'projectId'>[]): Promise<void>;
  listServices(projectId: string): Promise<ServiceRecord[]>;

  /** Creates a run with its jobs and steps, all queued; assigns the next run number of the project. */
  createRun(input: NewRunInput): Promise<RunDetail>;
  getRun(id: string): Promise<RunDetail | undefined>;
  listRuns(query: Page & { projectId?: string; commitSha?: string; status?: Run['status'] }): Promise<Run[]>;
  updateRun(id: string, patch: Partial<Pick<Run, 'status' | 'error' | 'startedAt' | 'finishedAt'>>): Promise<void>;
  updateJob(id: string, patch: Partial<Pick<Job, 'name' | 'status' | 'startedAt' | 'finishedAt' | 'outputs'>>): Promise<void>;
  /** Adds a job to a run while it runs (a matrix combination, a called workflow's job), with its steps queued. */
  addJob(runId: string, job: { name: string; needs: string[]; steps: { name: string }[] }): Promise<Job>;
  /** Adds a step to a job while it runs (a post step). */
  addStep(jobId: string, step: { index: number; name: string }): Promise<Step>;
  updateStep(id: string, patch: Partial<Pick<Step, 'status' | 'exitCode' | 'startedAt' | 'finishedAt'>>): Promise<void>;
  /**
   * Starts a new attempt: attempt + 1, status queued, jobs and steps back to queued, error and times cleared. Logs are kept.
   * Jobs in `keepJobs` (ids) keep their status, outputs and steps: re-running failed jobs reuses what succeeded.
   */
  resetRunForRetry(id: string, options?: { keepJobs?: string[] }): Promise<RunDetail>;
  /** Appends log lines; `seq` is assigned per run, strictly increasing. */
  appendLogs(lines: Omit<LogLine, 'seq'>[]): Promise<void>;
  /** Log lines of a run in ascending `seq`, after `afterSeq` when given. */
  readLogs(runId: string, query?: Page & { afterSeq?: number }): Promise<LogLine[]>;

  /** Records an immutable release; assigns the next version of the project. */
  /** Progressive rollouts (canary, blue-green), newest first. */
  createRollout(input: Omit<Rollout, 'id' | 'createdAt' | 'updatedAt' | 'finishedAt'>): Promise<Rollout>;
  getRollout(id: string): Promise<Rollout | undefined>;
  listRollouts(query: Page & { environmentId?: string; projectId?: string; deploymentId?: string; phases?: Rollout['phase'][] }): Promise<Rollout[]>;
  /** Applies the patch when the rollout is in one of `ifPhase` (all phases when absent); false when it was not. */
  updateRollout(id: string, patch: Partial<Pick<Rollout, 'stepIndex' | 'weight' | 'phase' | 'reason' | 'stepStartedAt' | 'measurements' | 'exposure' | 'finishedAt'>>, ifPhase?: Rollout['phase'][]): Promise<boolean>;
  createRelease(input: { projectId: string; commitSha: string; services: Record<string, ReleaseService>; changedServices: string[]; config?: Record<string, unknown>; runIds?: string[] }): Promise<Release>;
  getRelease(id: string): Promise<Release | undefined>;
  listReleases(query: Page & { projectId?: string }): Promise<Release[]>;

  /** Creates missing environments and updates position and target of existing ones; never deletes. Returns all of the project's, by position. */
  syncEnvironments(projectId: string, envs: { name: string; position: number; targetType: string; target?: TargetConfig; policy?: EnvironmentPolicy }[]): Promise<EnvironmentRecord[]>;
  /** Retires an environment taken out of slipway.yaml: it is no longer listed; its history stays. Syncing it again brings it back. */
  removeEnvironment(id: string): Promise<void>;
  /** Environments by project, then position; retired ones are left out. */
  listEnvironments(projectId?: string): Promise<EnvironmentRecord[]>;
  getEnvironment(id: string): Promise<EnvironmentRecord | undefined>;
  updateEnvironment(id: string, patch: Partial<Pick<EnvironmentRecord, 'desiredReleaseId' | 'lastGoodReleaseId' | 'hold' | 'holdVersion'>>): Promise<void>;
  /** Upserts the status of one service in one environment. Returns false, and writes nothing, when nothing but `updatedAt` changed. */
  putServiceStatus(status: ServiceStatus): Promise<boolean>;
  listServiceStatus(environmentId?: string): Promise<ServiceStatus[]>;
  /** Forgets a service of an environment (it was pruned). */
  deleteServiceStatus(environmentId: string, service: string): Promise<void>;

  createPromotion(input: Pick<Promotion, 'releaseId' | 'environmentId' | 'kind' | 'reason'> & { manual?: boolean }): Promise<Promotion>;
  getPromotion(id: string): Promise<Promotion | undefined>;
  /** Changes a promotion; with `ifPhase`, only when it is in one of those phases (false otherwise): a phase moves once. */
  updatePromotion(id: string, patch: Partial<Pick<Promotion, 'phase' | 'reason' | 'finishedAt' | 'gates'>>, ifPhase?: Promotion['phase'][]): Promise<boolean>;
  /** Newest first. */
  listPromotions(query: Page & { environmentId?: string; releaseId?: string; phase?: Promotion['phase']; projectId?: string; offset?: number }): Promise<Promotion[]>;
  /** Records an approval; false when this actor already approved the promotion. */
  addApproval(input: Omit<Approval, 'createdAt'>): Promise<boolean>;
  listApprovals(promotionId: string): Promise<Approval[]>;
  createDeployment(input: Pick<Deployment, 'promotionId' | 'environmentId' | 'releaseId' | 'services'>): Promise<Deployment>;
  updateDeployment(id: string, patch: Partial<Pick<Deployment, 'phase' | 'message' | 'finishedAt'>>): Promise<void>;
  listDeployments(query: Page & { environmentId?: string }): Promise<Deployment[]>;

  /** Appends to the event log; `seq` is assigned and strictly increasing. */
  appendEvent(event: NewEvent): Promise<SlipwayEvent>;
  /** Events in ascending `seq`, after `afterSeq` when given. With `newest`, the last `limit` events (still ascending). */
  listEvents(query: Page & { afterSeq?: number; projectId?: string; subject?: string; kinds?: EventKind[]; newest?: boolean }): Promise<SlipwayEvent[]>;

  /** Adds a job. With a dedupeKey, returns the existing unfinished item of that key instead of adding a second one. */
  enqueue(input: { kind: string; payload: Record<string, unknown>; runAfterMs?: number; dedupeKey?: string; maxAttempts?: number }): Promise<QueueItem>;
  /** Claims one ready item (or one whose lease expired) atomically; at most one owner can win an item. */
  claim(input: { owner: string; leaseMs: number; kinds?: string[] }): Promise<QueueItem | undefined>;
  /** Extends a lease. False when the owner no longer holds it: the work must abort. */
  heartbeat(id: string, owner: string, leaseMs: number): Promise<boolean>;
  complete(id: string, owner: string): Promise<boolean>;
  /** Records a failure; the item is retried after `retryAfterMs` while attempts < maxAttempts, else it is dead. */
  fail(id: string, owner: string, input: { error: string; retryAfterMs: number }): Promise<boolean>;
  /** Puts a held item back to wait `delayMs`, as if it had not been claimed: the attempt is not counted and no error is kept. */
  defer(id: string, owner: string, delayMs: number): Promise<boolean>;
  getQueueItem(id: string): Promise<QueueItem | undefined>;
  /** Items not done or dead, by kind and status, for /metrics. */
  queueDepth(): Promise<{ kind: string; status: 'ready' | 'leased'; count: number }[]>;
  /** Expires every current lease now. Only safe when this process is the only one using the database (SQLite). */
  expireAllLeases(): Promise<number>;
  /** Deletes finished (done) items last scheduled before `before`; returns how many. Dead items are kept for the record. */
  pruneQueue(before: string): Promise<number>;

  createToken(input: { name: string; role: Role; hash: string }): Promise<ApiToken>;
  findTokenByHash(hash: string): Promise<ApiToken | undefined>;
  listTokens(): Promise<ApiToken[]>;
  deleteToken(id: string): Promise<boolean>;
  touchToken(id: string): Promise<void>;

  /*
   * Secrets. Values arrive sealed (the engine's secret box encrypts them), so the store never sees plaintext. Names are
   * case-insensitive and stored upper case; an invalid name throws SLW_SECRET_NAME_INVALID. A null project means global.
   */
  /** Sets a secret, replacing the value of the same name in the same scope. */
  putSecret(input: SealedSecret): Promise<void>;
  /** The secrets a project sees among `names`: its own, else the global one of that name. Names not set are left out. */
  getSecrets(projectId: string | null, names: string[]): Promise<SealedSecret[]>;
  /** Names only, by name then scope (global first). Undefined lists every scope, null the global ones, an id that project's own. */
  listSecrets(projectId?: string | null): Promise<SecretSummary[]>;
  /** False when no secret of that name is in that scope. */
  deleteSecret(projectId: string | null, name: string): Promise<boolean>;

  /*
   * Caches (actions/cache) and artifacts (actions/upload-artifact). Rows point at content-addressed blobs by digest; the
   * bytes live in the engine's blob store, so two rows with the same content share one blob.
   */
  /** Records a cache. A key and version are immutable once written: false, and nothing written, when they exist. */
  putCacheEntry(input: Pick<CacheEntry, 'projectId' | 'key' | 'version' | 'digest' | 'size'>): Promise<boolean>;
  /**
   * Finds a cache as actions/cache does, among entries of `version` only: the exact first key; else, for each key in
   * order (the first key, then the restore keys), the newest entry whose key starts with it.
   */
  findCacheEntry(projectId: string, keys: string[], version: string): Promise<CacheEntry | undefined>;
  /** Marks a cache used now; eviction goes by last use. */
  touchCacheEntry(projectId: string, key: string, version: string): Promise<void>;
  /** Newest first. */
  listCacheEntries(query: Page & { projectId?: string }): Promise<CacheEntry[]>;
  /** Deletes the caches last used before `olderThan` (an ISO time) and returns them, so that their blobs can be collected. */
  deleteCacheEntries(query: { olderThan: string; projectId?: string }): Promise<CacheEntry[]>;
  /** Records an artifact of a run. A name the run already has is SLW_CONFLICT, unless `overwrite` (upload-artifact's input). */
  putArtifact(input: Pick<Artifact, 'runId' | 'name' | 'digest' | 'size'> & { overwrite?: boolean }): Promise<Artifact>;
  getArtifact(runId: string, name: string): Promise<Artifact | undefined>;
  /** By name. */
  listArtifacts(runId: string): Promise<Artifact[]>;

  /*
   * Webhook deliveries: the id a git host gives each delivery (X-GitHub-Delivery, X-Gitlab-Event-UUID, X-Gitea-Delivery),
   * kept so that a retried or replayed delivery does nothing. Hosts are `github`, `gitlab` and `gitea`.
   */
  /** Records a delivery. True the first time; false, and nothing written, when that host's id is recorded already. */
  recordWebhookDelivery(input: { host: string; deliveryId: string }): Promise<boolean>;
  /** Forgets a delivery (its handling failed), so that the host's redelivery is handled. */
  forgetWebhookDelivery(host: string, deliveryId: string): Promise<void>;
  /** Deletes the deliveries recorded before `olderThan` (an ISO time) and returns how many. */
  pruneWebhookDeliveries(olderThan: string): Promise<number>;
}
