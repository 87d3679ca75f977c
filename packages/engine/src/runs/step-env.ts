import { dirname } from 'node:path';
import type { Project, Run } from '@slipway/core';

/**
 * The environment of a CI step: a small allow-list of the host's variables (never the server's own SLIPWAY_* settings),
 * the GitHub-compatible defaults, then workflow, job and step `env` in that order.
 */
export function stepEnv(project: Project, run: Run, workspace: string, layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const host: Record<string, string> = {};
  for (const key of ['HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'USER', 'SHELL', 'TZ', 'NODE_EXTRA_CA_CERTS']) {
    const v = process.env[key];
    if (v !== undefined) host[key] = v;
  }
  // The node that runs Slipway comes first, so `node` in a step is a known version.
  host.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
  const defaults: Record<string, string> = {
    CI: 'true',
    SLIPWAY: 'true',
    SLIPWAY_RUN_ID: run.id,
    SLIPWAY_PROJECT: project.name,
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: run.commitSha,
    GITHUB_REF: `refs/heads/${run.branch}`,
    GITHUB_REF_NAME: run.branch,
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: run.id,
    GITHUB_RUN_NUMBER: String(run.number),
    GITHUB_RUN_ATTEMPT: String(run.attempt),
    GITHUB_EVENT_NAME: run.trigger === 'manual' ? 'workflow_dispatch' : 'push',
    GITHUB_WORKFLOW: run.workflowName,
    RUNNER_OS: 'Linux',
  };
  return Object.assign(host, defaults, ...layers.filter(Boolean));
}
