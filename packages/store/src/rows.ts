import type { Selectable } from 'kysely';
import { environmentPolicySchema, targetSchema } from '@slipway/core';
import type {
  ApiToken,
  Measurement,
  Rollout,
  Approval,
  GateStatus,
  Deployment,
  EnvironmentRecord,
  EventKind,
  Job,
  LogLine,
  Project,
  Promotion,
  QueueItem,
  Release,
  Run,
  ServiceRecord,
  ServiceStatus,
  SlipwayEvent,
  Step,
} from '@slipway/core';
import type { Database } from './schema.js';

/*
 * Row → model mapping, in one place so that both dialects return identical objects. Numbers go through Number() because
 * node-postgres returns int8 (bigserial, count) as strings.
 */

type Row<T extends keyof Database> = Selectable<Database[T]>;

const json = <T>(text: string): T => JSON.parse(text) as T;

export function toProject(r: Row<'projects'>): Project {
  return {
    id: r.id,
    name: r.name,
    repoUrl: r.repo_url,
    branch: r.branch,
    pollIntervalMs: Number(r.poll_interval_ms),
    lastCommitSha: r.last_commit_sha,
    ciBranches: json<string[]>(r.ci_branches),
    gitHost: r.git_host_kind && r.git_host_api_url && r.git_host_repository ? { kind: r.git_host_kind, apiUrl: r.git_host_api_url, repository: r.git_host_repository } : null,
    createdAt: r.created_at,
  };
}

export function toService(r: Row<'services'>): ServiceRecord {
  return { projectId: r.project_id, name: r.name, path: r.path, dependsOn: json<string[]>(r.depends_on) };
}

export function toRun(r: Row<'runs'>): Run {
  return {
    id: r.id,
    projectId: r.project_id,
    number: Number(r.number),
    workflow: r.workflow,
    workflowName: r.workflow_name,
    commitSha: r.commit_sha,
    branch: r.branch,
    trigger: r.trigger,
    status: r.status,
    attempt: Number(r.attempt),
    inputs: JSON.parse(r.inputs) as Run['inputs'],
    pullRequest: r.pull_request === null ? null : (JSON.parse(r.pull_request) as Run['pullRequest']),
    concurrency: r.concurrency_group === null ? null : { group: r.concurrency_group, cancelInProgress: Number(r.cancel_in_progress) === 1 },
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function toStep(r: Row<'steps'>): Step {
  return {
    id: r.id,
    jobId: r.job_id,
    index: Number(r.step_index),
    name: r.name,
    status: r.status,
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function toJob(r: Row<'jobs'>, steps: Step[]): Job {
  return {
    id: r.id,
    runId: r.run_id,
    name: r.name,
    status: r.status,
    needs: json<string[]>(r.needs),
    outputs: json<Record<string, string>>(r.outputs),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    steps,
  };
}

export function toLogLine(r: Row<'log_lines'>): LogLine {
  return { seq: Number(r.seq), runId: r.run_id, jobId: r.job_id, stepId: r.step_id, stream: r.stream, text: r.text, ts: r.ts };
}

export function toRelease(r: Row<'releases'>): Release {
  return {
    id: r.id,
    projectId: r.project_id,
    version: Number(r.version),
    commitSha: r.commit_sha,
    services: json<Release['services']>(r.services),
    changedServices: json<string[]>(r.changed_services),
    config: r.config ? json<Record<string, unknown>>(r.config) : null,
    runIds: r.run_ids ? json<string[]>(r.run_ids) : [],
    createdAt: r.created_at,
  };
}

export function toRollout(r: Row<'rollouts'>): Rollout {
  return {
    id: r.id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    service: r.service,
    releaseId: r.release_id,
    deploymentId: r.deployment_id,
    promotionId: r.promotion_id,
    strategy: r.strategy,
    steps: json<number[]>(r.steps),
    stepIndex: Number(r.step_index),
    weight: Number(r.weight),
    phase: r.phase,
    reason: r.reason,
    stableRevision: r.stable_revision,
    canaryRevision: r.canary_revision,
    stepStartedAt: r.step_started_at,
    measurements: json<Measurement[]>(r.measurements),
    exposure: r.exposure,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

export function toEnvironment(r: Row<'environments'>): EnvironmentRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    position: Number(r.position),
    targetType: r.target_type,
    target: targetSchema.parse({ ...(json(r.target ?? '{}') as object), type: r.target_type }),
    desiredReleaseId: r.desired_release_id,
    lastGoodReleaseId: r.last_good_release_id,
    hold: r.hold,
    holdVersion: r.hold_version === null ? null : Number(r.hold_version),
    policy: environmentPolicySchema.parse(json(r.policy)),
  };
}

export function toServiceStatus(r: Row<'service_status'>): ServiceStatus {
  return {
    environmentId: r.environment_id,
    service: r.service,
    releaseId: r.release_id,
    revision: r.revision,
    health: r.health,
    sync: r.sync,
    url: r.url,
    message: r.message,
    updatedAt: r.updated_at,
  };
}

export function toPromotion(r: Row<'promotions'>): Promotion {
  return {
    id: r.id,
    releaseId: r.release_id,
    environmentId: r.environment_id,
    kind: r.kind,
    phase: r.phase,
    manual: Number(r.manual) === 1,
    gates: json<GateStatus[]>(r.gates),
    reason: r.reason,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export function toApproval(r: Row<'approvals'>): Approval {
  return { promotionId: r.promotion_id, actor: r.actor, role: r.role, reason: r.reason, createdAt: r.created_at };
}

export function toDeployment(r: Row<'deployments'>): Deployment {
  return {
    id: r.id,
    promotionId: r.promotion_id,
    environmentId: r.environment_id,
    releaseId: r.release_id,
    phase: r.phase,
    services: json<string[]>(r.services),
    message: r.message,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function toEvent(r: Row<'events'>): SlipwayEvent {
  return {
    seq: Number(r.seq),
    ts: r.ts,
    kind: r.kind as EventKind,
    projectId: r.project_id,
    subject: r.subject,
    message: r.message,
    data: json<Record<string, unknown>>(r.data),
  };
}

export function toQueueItem(r: Row<'queue_items'>): QueueItem {
  return {
    id: r.id,
    kind: r.kind,
    payload: json<Record<string, unknown>>(r.payload),
    status: r.status,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAfter: r.run_after,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
  };
}

export function toToken(r: Row<'api_tokens'>): ApiToken {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}
