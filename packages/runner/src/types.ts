import type { ExpressionValue, Executor, Workflow } from '@slipway/core';
import type { ConcurrencyGate } from './concurrency-gate.js';

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

/** One job as it runs: a workflow job, or one combination of its matrix. */
export interface JobInstance {
  /** The job id in the workflow (`needs` refers to it). */
  jobId: string;
  /** Unique per run: `test` or `test (node 20, linux)`; prefixed with the caller for reusable workflows. */
  key: string;
  /** What users read: the job's name, with the matrix values. */
  name: string;
  matrix: Record<string, ExpressionValue> | null;
}

export interface StepInstance {
  /** Position in the job, from 0; post steps come after the main steps. */
  index: number;
  id: string | null;
  name: string;
  phase: 'main' | 'post';
}

export interface StepResult {
  outcome: Conclusion;
  conclusion: Conclusion;
  exitCode: number | null;
  outputs: Record<string, string>;
  durationMs: number;
}

export interface JobResult {
  job: JobInstance;
  conclusion: Conclusion;
  outputs: Record<string, string>;
  durationMs: number;
  /** Why it failed, in one line, when it did. */
  error: string | null;
}

export interface WorkflowResult {
  conclusion: Conclusion;
  jobs: JobResult[];
  /** Outputs of a called workflow (`on.workflow_call.outputs`). */
  outputs: Record<string, string>;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/** What a run reports as it goes: the server writes it to the store and the CLI draws progress from it. Text is masked already. */
export interface RunnerReporter {
  jobQueued?(job: JobInstance): void;
  jobStarted(job: JobInstance): void;
  jobFinished(result: JobResult): void;
  stepStarted(job: JobInstance, step: StepInstance): void;
  stepFinished(job: JobInstance, step: StepInstance, result: StepResult): void;
  log(job: JobInstance, step: StepInstance | null, line: { stream: 'stdout' | 'stderr' | 'system'; text: string }): void;
  annotation?(job: JobInstance, step: StepInstance | null, annotation: Annotation): void;
  summary?(job: JobInstance, step: StepInstance, markdown: string): void;
}

/** Cache and artifact storage, backed by Slipway's content-addressed blob store. */
export interface CiStorage {
  /** 'empty' when none of the paths exists: nothing is saved. */
  saveCache(key: string, paths: string[], cwd: string): Promise<'saved' | 'exists' | 'empty'>;
  restoreCache(key: string, restoreKeys: string[], paths: string[], cwd: string): Promise<{ hit: boolean; matchedKey?: string }>;
  uploadArtifact(name: string, paths: string[], cwd: string): Promise<{ digest: string; size: number }>;
  downloadArtifact(name: string, dest: string): Promise<boolean>;
}

export interface GithubRun {
  /** Repository name, `owner/repo` or the project name. */
  repository: string;
  sha: string;
  ref: string;
  refName: string;
  /** For a pull request: its head and base branches (github.head_ref, github.base_ref); else empty. */
  headRef?: string;
  baseRef?: string;
  runId: string;
  runNumber: number;
  runAttempt: number;
  actor: string;
  eventName: string;
  event: Record<string, ExpressionValue>;
  serverUrl: string;
}

export interface RunWorkflowOptions {
  workflow: Workflow;
  /** Path of the workflow file relative to the repository root, as `github.workflow_ref` and errors show it. */
  file: string;
  github: GithubRun;
  /** workflow_dispatch or workflow_call inputs, already validated and defaulted. */
  inputs?: Record<string, ExpressionValue>;
  vars?: Record<string, string>;
  executor: Executor;
  /** Where job workspaces and temp directories are created. */
  workRoot: string;
  /** The source tree of the run's commit: local actions and reusable workflows are read from it. */
  repoDir: string;
  /**
   * Each job's workspace starts with the run's commit, so that `run: npm test` works without a checkout step (Slipway's
   * default, see docs/adr/008); `actions/checkout` then checks it out again. Off, as on GitHub, workspaces start empty.
   */
  seedWorkspace?: boolean;
  /** Writes the run's commit into a directory (actions/checkout). */
  checkout(dest: string): Promise<void>;
  /** Why this run gets no secrets (a pull request from a fork); then every secret it references reads as empty. */
  secretsWithheld?: string;
  /** Secret values by name; called with only the names a job references. Missing names are simply absent. */
  secrets(names: string[]): Promise<Record<string, string>>;
  storage?: CiStorage;
  /** Where remote actions are looked up: `<dir>/<owner>/<repo>/<ref>/action.yml`. */
  actionCacheDir?: string;
  /** Run only these job ids (their `needs` are treated as satisfied with no outputs). */
  onlyJobs?: string[];
  /** Jobs that finished in an earlier attempt (re-running failed jobs): they do not run again, and `needs` sees their result and outputs. */
  completed?: Record<string, { result: Conclusion; outputs: Record<string, string> }>;
  /** Where job-level `concurrency:` groups are kept; default one gate for the process (see concurrency-gate.ts). */
  concurrencyGate?: ConcurrencyGate;
  /** Most jobs running at once. */
  maxParallelJobs?: number;
  reporter: RunnerReporter;
  signal: AbortSignal;
  /** Reusable workflows: the prefix of job keys and the depth of nesting. */
  callPrefix?: string;
  callDepth?: number;
  /** Secrets passed to a called workflow ('inherit' resolves through the caller). */
  /** Picks a job's executor from its `container:`, `services:` and evaluated `runs-on:` labels; `executor` when absent. */
  executorForJob?(job: { container?: unknown; services?: unknown; runsOn?: unknown }): Executor;
}
