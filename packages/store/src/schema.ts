import type { ColumnType } from 'kysely';
import type { ApiToken, Approval, Deployment, EnvironmentRecord, Job, LogLine, Promotion, QueueItem, Rollout, Run, ServiceStatus, Step } from '@slipway/core';

/*
 * The database as Kysely sees it. Columns are snake_case; times are ISO-8601 text; JSON is text. rows.ts maps rows to the
 * core model.
 */

export interface ProjectsTable {
  id: string;
  name: string;
  repo_url: string;
  branch: string;
  poll_interval_ms: number;
  last_commit_sha: string | null;
  created_at: string;
  /** Where feedback goes: all null, or all set. */
  git_host_kind: ColumnType<'github' | 'gitlab' | 'gitea' | null, string | null | undefined, string | null>;
  git_host_api_url: ColumnType<string | null, string | null | undefined, string | null>;
  git_host_repository: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of glob patterns: more branches to run CI on. */
  ci_branches: ColumnType<string, string | undefined, string>;
  /** Counters for the per-project run number and release version; bumped with an UPDATE so concurrent creators serialize. */
  run_seq: ColumnType<number, number | undefined, number>;
  release_seq: ColumnType<number, number | undefined, number>;
}

export interface ServicesTable {
  project_id: string;
  name: string;
  path: string;
  depends_on: string;
  position: number;
}

export interface RunsTable {
  id: string;
  project_id: string;
  number: number;
  workflow: string;
  workflow_name: string;
  commit_sha: string;
  branch: string;
  trigger: Run['trigger'];
  status: Run['status'];
  attempt: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  concurrency_group: ColumnType<string | null, string | null | undefined, string | null>;
  cancel_in_progress: ColumnType<number, number | undefined, number>;
  /** JSON object. */
  inputs: ColumnType<string, string | undefined, string>;
  /** JSON object, or null for runs that do not test a pull request. */
  pull_request: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last log `seq` handed out for this run. */
  log_seq: ColumnType<number, number | undefined, number>;
}

export interface JobsTable {
  id: string;
  run_id: string;
  position: number;
  name: string;
  status: Job['status'];
  needs: string;
  /** JSON object of the job's outputs. */
  outputs: ColumnType<string, string | undefined, string>;
  started_at: string | null;
  finished_at: string | null;
}

export interface StepsTable {
  id: string;
  job_id: string;
  run_id: string;
  step_index: number;
  name: string;
  status: Step['status'];
  exit_code: number | null;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface LogLinesTable {
  run_id: string;
  seq: number;
  job_id: string | null;
  step_id: string | null;
  stream: LogLine['stream'];
  text: string;
  ts: string;
}

export interface ReleasesTable {
  id: string;
  project_id: string;
  version: number;
  commit_sha: string;
  services: string;
  changed_services: string;
  config: string | null;
  run_ids: string | null;
  created_at: string;
}

export interface RolloutsTable {
  id: string;
  project_id: string;
  environment_id: string;
  service: string;
  release_id: string;
  deployment_id: string | null;
  promotion_id: string | null;
  strategy: 'canary' | 'blue-green';
  steps: string;
  step_index: number;
  weight: number;
  phase: Rollout['phase'];
  reason: string | null;
  stable_revision: string | null;
  canary_revision: string;
  step_started_at: string;
  measurements: string;
  exposure: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface EnvironmentsTable {
  id: string;
  project_id: string;
  name: string;
  position: number;
  target_type: string;
  desired_release_id: string | null;
  last_good_release_id: string | null;
  hold: EnvironmentRecord['hold'];
  /** The environment's policy as JSON (defaults filled in when read). */
  policy: ColumnType<string, string | undefined, string>;
  hold_version: ColumnType<number | null, number | null | undefined, number | null>;
  removed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The target's settings besides its type, as JSON. */
  target: ColumnType<string, string | undefined, string>;
}

export interface ServiceStatusTable {
  environment_id: string;
  service: string;
  release_id: string | null;
  revision: string | null;
  health: ServiceStatus['health'];
  sync: ServiceStatus['sync'];
  url: string | null;
  message: string | null;
  updated_at: string;
}

export interface PromotionsTable {
  id: string;
  release_id: string;
  environment_id: string;
  kind: Promotion['kind'];
  phase: Promotion['phase'];
  reason: string | null;
  created_at: string;
  finished_at: string | null;
  gates: ColumnType<string, string | undefined, string>;
  manual: ColumnType<number, number | undefined, number>;
}

export interface ApprovalsTable {
  promotion_id: string;
  actor: string;
  role: Approval['role'];
  reason: string | null;
  created_at: string;
}

export interface DeploymentsTable {
  id: string;
  promotion_id: string | null;
  environment_id: string;
  release_id: string;
  phase: Deployment['phase'];
  services: string;
  message: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface EventsTable {
  /** Assigned by the database; node-postgres returns bigserial (int8) values as strings. */
  seq: ColumnType<number | string, never, never>;
  ts: string;
  kind: string;
  project_id: string | null;
  subject: string | null;
  message: string;
  data: string;
}

export interface QueueItemsTable {
  id: string;
  kind: string;
  payload: string;
  status: QueueItem['status'];
  attempts: number;
  max_attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: ApiToken['role'];
  hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface SecretsTable {
  /** The project id, or '' for a global secret (see migration 0002). */
  scope: string;
  name: string;
  project_id: string | null;
  ciphertext: string;
  updated_at: string;
}

export interface CacheEntriesTable {
  project_id: string;
  key: string;
  version: string;
  digest: string;
  /** bigint: node-postgres returns it as a string. */
  size: number | string;
  created_at: string;
  last_used_at: string;
}

export interface ArtifactsTable {
  run_id: string;
  name: string;
  digest: string;
  /** bigint: node-postgres returns it as a string. */
  size: number | string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  /** github, gitlab or gitea. */
  host: string;
  delivery_id: string;
  received_at: string;
}

export interface BranchHeadsTable {
  project_id: string;
  /** A followed branch; '' marks that the first look at the project's branches was taken (a baseline, nothing run). */
  branch: string;
  sha: string;
  updated_at: string;
}

export interface Database {
  projects: ProjectsTable;
  services: ServicesTable;
  branch_heads: BranchHeadsTable;
  runs: RunsTable;
  jobs: JobsTable;
  steps: StepsTable;
  log_lines: LogLinesTable;
  releases: ReleasesTable;
  rollouts: RolloutsTable;
  environments: EnvironmentsTable;
  service_status: ServiceStatusTable;
  promotions: PromotionsTable;
  deployments: DeploymentsTable;
  events: EventsTable;
  queue_items: QueueItemsTable;
  api_tokens: ApiTokensTable;
  secrets: SecretsTable;
  cache_entries: CacheEntriesTable;
  artifacts: ArtifactsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  approvals: ApprovalsTable;
}
