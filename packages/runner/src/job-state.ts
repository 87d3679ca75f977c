import { dirname } from 'node:path';
import type { ExpressionContext, ExpressionValue, JobEnvironment, Masker } from '@slipway/core';
import type { Conclusion, JobInstance, RunWorkflowOptions, StepInstance } from './types.js';

export interface StepRecord {
  outputs: Record<string, string>;
  outcome: Conclusion;
  conclusion: Conclusion;
}

/** Everything one running job knows; the steps read and extend it. */
export interface JobState {
  opts: RunWorkflowOptions;
  job: JobInstance;
  /** The job as written in the workflow. */
  spec: Record<string, unknown>;
  jobEnv: JobEnvironment;
  workspace: string;
  temp: string;
  /** Job-level environment: workflow env, job env, then GITHUB_ENV additions of earlier steps. */
  env: Record<string, string>;
  /** GITHUB_PATH additions, newest first. */
  path: string[];
  steps: Record<string, StepRecord>;
  status: 'success' | 'failure' | 'cancelled';
  masker: Masker;
  secrets: Record<string, string>;
  needs: Record<string, { result: Conclusion; outputs: Record<string, string> }>;
  strategy: Record<string, ExpressionValue>;
  /** Steps to run after the main steps, last registered first (actions/cache saves here). */
  post: { name: string; run: (step: StepInstance) => Promise<void> }[];
  signal: AbortSignal;
  stepCounter: number;
  hashFiles(patterns: string[]): string;
}

/** The expression contexts of a job at this moment; `extra` adds or overrides (inputs of a composite action, …). */
export function jobContexts(state: JobState, extra: Partial<ExpressionContext> = {}): ExpressionContext {
  const gh = state.opts.github;
  return {
    github: {
      repository: gh.repository,
      repository_owner: gh.repository.split('/')[0] ?? gh.repository,
      sha: gh.sha,
      ref: gh.ref,
      ref_name: gh.refName,
      ref_type: gh.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      head_ref: gh.headRef ?? '',
      base_ref: gh.baseRef ?? '',
      run_id: gh.runId,
      run_number: String(gh.runNumber),
      run_attempt: String(gh.runAttempt),
      actor: gh.actor,
      triggering_actor: gh.actor,
      event_name: gh.eventName,
      event: gh.event,
      server_url: gh.serverUrl,
      api_url: `${gh.serverUrl}/api`,
      workflow: String(state.opts.workflow.name ?? state.opts.file),
      workflow_ref: `${gh.repository}/${state.opts.file}@${gh.ref}`,
      job: state.job.jobId,
      workspace: state.workspace,
      action: '',
      token: '',
      retention_days: '90',
    },
    env: { ...state.env },
    vars: { ...(state.opts.vars ?? {}) },
    secrets: { ...state.secrets },
    inputs: { ...(state.opts.inputs ?? {}) },
    matrix: state.job.matrix ?? {},
    needs: state.needs as unknown as ExpressionValue,
    strategy: state.strategy,
    steps: state.steps as unknown as ExpressionValue,
    job: { status: state.status, container: state.jobEnv.container as unknown as ExpressionValue, services: state.jobEnv.services as unknown as ExpressionValue },
    runner: { os: 'Linux', arch: process.arch === 'arm64' ? 'ARM64' : 'X64', name: `slipway-${state.jobEnv.executor}`, temp: state.temp, tool_cache: `${state.temp}/_tool`, environment: 'self-hosted', debug: '' },
    ...extra,
  } as ExpressionContext;
}

/** Status functions for `if:` in a job: success() is true while no earlier step failed. */
export function stepStatus(state: JobState) {
  return {
    success: () => state.status === 'success' && !state.signal.aborted,
    failure: () => state.status === 'failure',
    cancelled: () => state.signal.aborted || state.status === 'cancelled',
  };
}

/**
 * The environment variables every step gets: on the host a small allow-list of the server's own (never its SLIPWAY_*
 * settings), in a container the image's defaults; then the GitHub defaults.
 */
export function baseStepEnv(state: JobState, action = ''): Record<string, string> {
  const gh = state.opts.github;
  const out: Record<string, string> = {};
  if (state.jobEnv.executor === 'host') {
    for (const key of ['HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'USER', 'SHELL', 'TZ', 'NODE_EXTRA_CA_CERTS', 'PATH']) {
      const v = process.env[key];
      if (v !== undefined) out[key] = v;
    }
    // The node that runs Slipway comes first, so that `node` in a step is a known version.
    out.PATH = `${dirname(process.execPath)}:${out.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
  } else {
    out.PATH = '/usr/local/bin:/usr/bin:/bin';
    out.HOME = '/root';
  }
  Object.assign(out, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    SLIPWAY: 'true',
    GITHUB_WORKSPACE: state.workspace,
    GITHUB_SHA: gh.sha,
    GITHUB_REF: gh.ref,
    GITHUB_REF_NAME: gh.refName,
    GITHUB_HEAD_REF: gh.headRef ?? '',
    GITHUB_BASE_REF: gh.baseRef ?? '',
    GITHUB_REF_TYPE: gh.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REPOSITORY: gh.repository,
    GITHUB_REPOSITORY_OWNER: gh.repository.split('/')[0] ?? gh.repository,
    GITHUB_RUN_ID: gh.runId,
    GITHUB_RUN_NUMBER: String(gh.runNumber),
    GITHUB_RUN_ATTEMPT: String(gh.runAttempt),
    GITHUB_ACTOR: gh.actor,
    GITHUB_TRIGGERING_ACTOR: gh.actor,
    GITHUB_EVENT_NAME: gh.eventName,
    GITHUB_EVENT_PATH: `${state.temp}/_github_workflow/event.json`,
    GITHUB_WORKFLOW: String(state.opts.workflow.name ?? state.opts.file),
    GITHUB_WORKFLOW_REF: `${gh.repository}/${state.opts.file}@${gh.ref}`,
    GITHUB_JOB: state.job.jobId,
    GITHUB_ACTION: action,
    GITHUB_SERVER_URL: gh.serverUrl,
    GITHUB_API_URL: `${gh.serverUrl}/api`,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: `slipway-${state.jobEnv.executor}`,
    RUNNER_TEMP: state.temp,
    RUNNER_TOOL_CACHE: `${state.temp}/_tool`,
    RUNNER_ENVIRONMENT: 'self-hosted',
  });
  return out;
}

/** Prepends GITHUB_PATH additions to PATH. */
export function withPath(env: Record<string, string>, additions: string[]): Record<string, string> {
  if (additions.length === 0) return env;
  return { ...env, PATH: [...additions, env.PATH ?? ''].filter(Boolean).join(':') };
}
