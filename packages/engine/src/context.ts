import type { ImageBuilder, OciRegistry } from '@slipway/core';
import type { SigningKey } from './supply-chain/signing-key.js';
import type { Clock, EnvironmentRecord, SourceProvider, Store, TargetDriver, Executor, Project, SourceRef, TriggerSnapshot } from '@slipway/core';
import type { CiStorage } from './blobs/ci-storage.js';
import type { EventBus } from './events/event-bus.js';
import type { Logger } from './logger.js';

/** The ports and settings every engine component receives at construction. */
export interface EngineContext {
  store: Store;
  source: SourceProvider;
  /** The default target (local processes). */
  driver: TargetDriver;
  /** The target driver of an environment, by its target type; an unknown or unavailable type is an error. */
  driverFor(env: Pick<EnvironmentRecord, 'name' | 'targetType'>): TargetDriver;
  /** Runs CI jobs with no `container:` or `services:`. */
  executor: Executor;
  /** Runs jobs that ask for a job container or service containers; without it they fail on the host executor with a clear error. */
  dockerExecutor?: Executor;
  /** Runs jobs with `runs-on: kubernetes` (one pod per job); without it they fail with a clear error. */
  kubernetesExecutor?: Executor;
  /** Where remote actions (`owner/repo@ref`) are looked up; default `<dataDir>/actions`. */
  actionCacheDir?: string;
  /** Cancel switches of the runs executing in this process, by run id. */
  cancellers: Map<string, (reason: string) => void>;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** Root of the engine's files: workspaces, artifacts. */
  dataDir: string;
  /** Secret values of a project, only the names asked for. */
  secrets?: (projectId: string, names: string[]) => Promise<Record<string, string>>;
  /** Cache and artifact storage for one run. */
  ciStorage?: (projectId: string) => CiStorage;
  /** Image builds and the registry, with Slipway's signing key: for projects with `images` in slipway.yaml. */
  images?: ImageTools;
  /** Where the dashboard is, for links. */
  serverUrl?: () => string;
  /** Fetches a project's branch into its mirror, coalescing concurrent calls per project; returns the head. */
  fetchLatest(ref: SourceRef): Promise<string>;
  /** The last trigger snapshot of each project (in memory): what a webhook needs to queue the runs of the next commit at once. */
  snapshots: Map<string, TriggerSnapshot>;
  /** Adds a job and wakes the worker. */
  enqueue(kind: JobKind, payload: Record<string, unknown>, options?: { dedupeKey?: string; runAfterMs?: number; maxAttempts?: number }): Promise<void>;
}

export interface ImageTools {
  builder: ImageBuilder;
  registry: OciRegistry;
  signingKey: () => Promise<SigningKey>;
  /** Slipway's version, written into provenance and SBOMs. */
  version: string;
}

export const jobKinds = ['commit.process', 'run.execute', 'schedule.fire', 'branch.push', 'release.evaluate', 'promotion.evaluate', 'environment.reconcile', 'environment.retire', 'rollout.step'] as const;
export type JobKind = (typeof jobKinds)[number];

export const sourceRef = (p: Project): SourceRef => ({ projectId: p.id, repoUrl: p.repoUrl, branch: p.branch });

export const nowIso = (ctx: Pick<EngineContext, 'clock'>): string => ctx.clock.now().toISOString();
