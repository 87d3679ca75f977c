import type { Approval, DoraReport, EnvironmentDiff, EnvironmentResources, LogLine, Promotion, Project, Release, Run, RunDetail, SlipwayEvent, PlanPreview, StatusReport, WorkflowSummary, ReleaseVerification, Rollout } from '@slipway/core';
import { request } from './client.js';

/** Typed helpers for the Slipway REST API; the shapes are the zod schemas of @slipway/core. */

interface Items<T> {
  items: T[];
}

export interface TriggerReason {
  service: string;
  triggered: boolean;
  reason: string;
}

export type RunWithTriggers = RunDetail & { triggers: TriggerReason[] };

type Opts = { signal?: AbortSignal };

export const api = {
  status: (o: Opts = {}) => request<StatusReport>('GET', '/api/status', o),
  projects: async (o: Opts = {}) => (await request<Items<Project>>('GET', '/api/projects', o)).items,
  /** Without projectId: the runs (or releases) of every project, newest first. */
  runs: async (query: { projectId?: string; limit?: number }, o: Opts = {}) =>
    (await request<Items<Run>>('GET', '/api/runs', { ...o, query })).items,
  run: (id: string, o: Opts = {}) => request<RunWithTriggers>('GET', `/api/runs/${encodeURIComponent(id)}`, o),
  runLogs: async (id: string, afterSeq: number, o: Opts = {}) =>
    (await request<Items<LogLine>>('GET', `/api/runs/${encodeURIComponent(id)}/logs`, { ...o, query: { afterSeq } })).items,
  workflows: async (projectId: string, o: Opts = {}) => (await request<Items<WorkflowSummary>>('GET', `/api/projects/${encodeURIComponent(projectId)}/workflows`, o)).items,
  /** Starts a workflow with on.workflow_dispatch; the server checks the inputs first. */
  dispatch: (project: string, workflow: string, inputs: Record<string, string | number | boolean>) => request<Run>('POST', '/api/runs/dispatch', { body: { project, workflow, inputs } }),
  /** What merging a branch or a pull request into the project's branch would rebuild and change. */
  plan: (projectId: string, target: { branch: string } | { pr: number }, o: Opts = {}) =>
    request<PlanPreview>('GET', `/api/projects/${encodeURIComponent(projectId)}/plan`, { ...o, query: 'branch' in target ? { branch: target.branch } : { pr: target.pr } }),
  cancelRun: (id: string) => request<Run>('POST', `/api/runs/${encodeURIComponent(id)}/cancel`, { body: {} }),
  /** Runs a finished run again as its next attempt: every job, or with failedOnly the failed ones. */
  rerunRun: (id: string, failedOnly: boolean) => request<Run>('POST', `/api/runs/${encodeURIComponent(id)}/rerun`, { body: { failedOnly } }),
  releases: async (query: { projectId?: string; limit?: number }, o: Opts = {}) =>
    (await request<Items<Release>>('GET', '/api/releases', { ...o, query })).items,
  rollouts: async (query: { limit?: number }, o: Opts = {}) => (await request<Items<Rollout>>('GET', '/api/rollouts', { ...o, query })).items,
  rolloutAction: (id: string, action: 'promote' | 'pause' | 'resume' | 'abort', full = false) => request<Rollout>('POST', `/api/rollouts/${encodeURIComponent(id)}/${action}`, { body: full ? { full } : {} }),
  release: (id: string, o: Opts = {}) => request<Release>('GET', `/api/releases/${encodeURIComponent(id)}`, o),
  /** Verifies the release's images: signed provenance, subject digest, builder, registry copies, SBOM. */
  verifyRelease: (id: string, o: Opts = {}) => request<ReleaseVerification>('GET', `/api/releases/${encodeURIComponent(id)}/verify`, o),
  events: async (query: { afterSeq?: number; limit?: number; newest?: boolean }, o: Opts = {}) =>
    (await request<Items<SlipwayEvent>>('GET', '/api/events', { ...o, query: { ...query, newest: query.newest ? 1 : undefined } })).items,
  /** DORA's four keys of a project's last environment over the last 30 days. */
  insights: (projectId: string, o: Opts = {}) => request<DoraReport>('GET', `/api/projects/${encodeURIComponent(projectId)}/insights`, o),
  promotions: async (query: { limit: number; offset: number }, o: Opts = {}) => (await request<Items<Promotion>>('GET', '/api/promotions', { ...o, query })).items,
  promotion: (id: string, o: Opts = {}) => request<{ promotion: Promotion; approvals: Approval[] }>('GET', `/api/promotions/${encodeURIComponent(id)}`, o),
  approve: (promotionId: string, reason?: string) => request<unknown>('POST', `/api/promotions/${encodeURIComponent(promotionId)}/approve`, { body: reason ? { reason } : {} }),
  rollback: (environmentId: string) => request<unknown>('POST', `/api/environments/${encodeURIComponent(environmentId)}/rollback`, { body: {} }),
  /** The desired state of an environment against what runs, per service. */
  diff: (environmentId: string, o: Opts = {}) => request<EnvironmentDiff>('GET', `/api/environments/${encodeURIComponent(environmentId)}/diff`, o),
  /** Each service's objects on the environment's target (Kubernetes), with their health and drift. */
  resources: (environmentId: string, o: Opts = {}) => request<EnvironmentResources>('GET', `/api/environments/${encodeURIComponent(environmentId)}/resources`, o),
  deploy: (environmentId: string, releaseId: string) =>
    request<unknown>('POST', `/api/environments/${encodeURIComponent(environmentId)}/deploy`, { body: { releaseId } }),
};
