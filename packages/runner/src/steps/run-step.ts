import { resolve, relative, isAbsolute } from 'node:path';
import { interpolate, type ExpressionContext } from '@slipway/core';
import type { JobState } from '../job-state.js';
import type { StepInstance } from '../types.js';
import { execStep, type ExecResult } from './exec-step.js';

export interface RunStepSpec {
  run: string;
  shell?: string;
  workingDirectory?: string;
  env: Record<string, string>;
  timeoutMs: number;
  contexts: ExpressionContext;
  /** Where expression errors point. */
  where: { file: string; path: string };
}

/** The default shell on Linux when a step names none, as in GitHub Actions: bash without pipefail. */
const defaultShell = 'bash -e {0}';

/** A `run:` step: expressions in the script are evaluated, then it runs in the job's workspace. */
export async function runScriptStep(state: JobState, step: StepInstance, spec: RunStepSpec, signal: AbortSignal): Promise<ExecResult> {
  const script = interpolate(spec.run, spec.contexts, { where: spec.where, hashFiles: hashFilesFor(state) });
  const dir = spec.workingDirectory ? interpolate(spec.workingDirectory, spec.contexts, { where: spec.where }) : '.';
  const cwd = resolve(state.workspace, dir);
  const rel = relative(state.workspace, cwd);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    state.opts.reporter.log(state.job, step, { stream: 'system', text: `working-directory ${dir} is outside the workspace` });
    return { exitCode: 1, outputs: {}, state: {} };
  }
  return execStep(state, step, { script, shell: spec.shell ?? defaultShell, cwd, env: spec.env, timeoutMs: spec.timeoutMs }, signal);
}

/** hashFiles() needs the file system: it hashes the workspace files that match, like GitHub's. */
export function hashFilesFor(state: JobState): (patterns: string[]) => string {
  return (patterns) => state.hashFiles(patterns);
}
