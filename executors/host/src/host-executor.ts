import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { scriptExtension, shellCommand, type Executor, type JobEnvironment } from '@slipway/core';
import { runProcess } from './run-process.js';

/**
 * The host executor: a process per step, in the job's workspace directory. It has no job container; a job that asks
 * for `container:` or `services:` needs the Docker executor.
 */
export function createHostExecutor(): Executor {
  return {
    name: 'host',
    async prepareJob(spec): Promise<JobEnvironment> {
      await mkdir(spec.workspace, { recursive: true });
      await mkdir(spec.temp, { recursive: true });
      return {
        executor: 'host',
        container: { id: null, network: null },
        services: {},
        async runStep(step, onOutput, signal) {
          const file = join(spec.temp, `step-${randomUUID().slice(0, 8)}${scriptExtension(step.shell)}`);
          // Synchronous, like the runner's file commands (packages/runner/src/env-files.ts): one small file, where
          // fs/promises would add three thread-pool round trips to every step.
          writeFileSync(file, step.command, { mode: 0o700 });
          return runProcess({ argv: shellCommand(step.shell, file), cwd: step.cwd, env: step.env, timeoutMs: step.timeoutMs }, onOutput, signal);
        },
        async dispose() {
          // Steps are process groups killed when they end or are aborted; the caller owns the directories.
        },
      };
    },
  };
}
