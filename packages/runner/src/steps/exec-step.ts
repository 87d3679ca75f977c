import { createStepFiles } from '../env-files.js';
import { withPath, type JobState } from '../job-state.js';
import { createLogProcessor } from '../log-processor.js';
import type { StepInstance } from '../types.js';

export interface ExecSpec {
  script: string;
  shell: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface ExecResult {
  exitCode: number;
  outputs: Record<string, string>;
  state: Record<string, string>;
}

/**
 * Runs one process step in the job environment with fresh file commands, feeding its output through the log processor,
 * and applies what it wrote to GITHUB_ENV and GITHUB_PATH to the rest of the job.
 */
export async function execStep(state: JobState, step: StepInstance, spec: ExecSpec, signal: AbortSignal): Promise<ExecResult> {
  const files = await createStepFiles(state.temp, `${state.stepCounter++}`);
  const reporter = state.opts.reporter;
  const processor = createLogProcessor(
    state.masker,
    (line) => reporter.log(state.job, step, line),
    (a) => reporter.annotation?.(state.job, step, a),
  );
  const env = withPath({ ...spec.env, ...files.env }, state.path);
  const { exitCode } = await state.jobEnv.runStep({ command: spec.script, shell: spec.shell, cwd: spec.cwd, env, timeoutMs: spec.timeoutMs }, (out) => processor.line(out.stream, out.text), signal);
  const written = await files.read();
  for (const e of written.errors) reporter.log(state.job, step, { stream: 'system', text: e });
  for (const [k, v] of Object.entries(written.env)) state.env[k] = v;
  if (written.path.length > 0) state.path = [...written.path.reverse(), ...state.path];
  if (written.summary.trim()) reporter.summary?.(state.job, step, state.masker.mask(written.summary));
  return { exitCode, outputs: written.outputs, state: written.state };
}
