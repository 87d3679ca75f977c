import type { CommitState, EventKind, Run } from '@slipway/core';

/** A commit status to post, before the link is made absolute. */
export interface StatusIntent {
  sha: string;
  state: CommitState;
  context: string;
  description: string;
  /** The dashboard route to link to, e.g. `#/runs/run_1`. */
  route: string;
}

const runStates: Partial<Record<EventKind, CommitState>> = {
  'run.queued': 'pending',
  'run.rerun': 'pending',
  'run.retried': 'pending',
  'run.started': 'pending',
  'run.succeeded': 'success',
  'run.failed': 'failure',
  // "error" rather than failure: a cancelled run says nothing about the commit. GitLab shows it as canceled.
  'run.cancelled': 'error',
};

const runWords: Partial<Record<EventKind, string>> = {
  'run.queued': 'queued',
  'run.rerun': 'queued again',
  'run.retried': 'retried after an interruption',
  'run.started': 'running',
  'run.succeeded': 'succeeded',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
};

export const isRunFeedbackEvent = (kind: EventKind): boolean => kind in runStates;

/** The status of a workflow run's event: context `slipway/<workflow name>`, linked to the run's page. */
export function runStatus(kind: EventKind, run: Pick<Run, 'id' | 'number' | 'workflowName' | 'commitSha' | 'error'>, durationMs?: number): StatusIntent | undefined {
  const state = runStates[kind];
  if (!state) return undefined;
  const took = kind === 'run.succeeded' && durationMs !== undefined ? ` in ${(durationMs / 1000).toFixed(1)}s` : '';
  const why = kind === 'run.failed' && run.error ? `: ${run.error}` : '';
  return { sha: run.commitSha, state, context: `slipway/${run.workflowName}`, description: `Run #${run.number} ${runWords[kind]}${took}${why}`, route: `#/runs/${encodeURIComponent(run.id)}` };
}

const deployStates: Partial<Record<EventKind, CommitState>> = {
  'deployment.started': 'pending',
  'deployment.succeeded': 'success',
  'deployment.failed': 'failure',
  'deployment.rolled-back': 'failure',
};

export const isDeploymentFeedbackEvent = (kind: EventKind): boolean => kind in deployStates;

/** The status of a deployment's event: context `slipway/deploy/<environment>`, linked to the overview, where environments are. */
export function deploymentStatus(kind: EventKind, data: Record<string, unknown>): StatusIntent | undefined {
  const state = deployStates[kind];
  const sha = data.commitSha;
  const env = data.environment;
  if (!state || typeof sha !== 'string' || typeof env !== 'string') return undefined;
  const version = `v${String(data.version)}`;
  const reason = typeof data.reason === 'string' ? `: ${data.reason}` : '';
  const description =
    kind === 'deployment.started' ? `Deploying ${version} to ${env}`
    : kind === 'deployment.succeeded' ? `${version} deployed to ${env}`
    : kind === 'deployment.failed' ? `${version} failed in ${env}${reason}`
    : `${env} rolled back from ${version} to v${String(data.toVersion)}${reason}`;
  return { sha, state, context: `slipway/deploy/${env}`, description, route: '#/' };
}
