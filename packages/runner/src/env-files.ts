import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile, parsePathFile } from '@slipway/core';

/** The files a step writes to talk back to the runner (GITHUB_ENV, GITHUB_OUTPUT, …), fresh for each step. */
export interface StepFiles {
  env: Record<string, string>;
  read(): Promise<{ env: Record<string, string>; outputs: Record<string, string>; state: Record<string, string>; path: string[]; summary: string; errors: string[] }>;
}

const names = { GITHUB_ENV: 'env', GITHUB_OUTPUT: 'output', GITHUB_PATH: 'path', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' } as const;

export async function createStepFiles(tempDir: string, stepKey: string): Promise<StepFiles> {
  const dir = join(tempDir, '_runner_file_commands');
  const env: Record<string, string> = Object.fromEntries(Object.entries(names).map(([variable, name]) => [variable, join(dir, `${name}_${stepKey}`)]));
  // Synchronous on purpose: five small files per step. Through fs/promises each file is an open, a write or read and
  // a close, each a round trip through libuv's thread pool, and on a busy 2-core machine those round trips were most
  // of the runner's own time per step; done here they took a quarter off the whole step (bench/workflow-steps.mjs,
  // docs/benchmarks.md). Spawning the step's process blocks the event loop for longer than these calls.
  mkdirSync(dir, { recursive: true });
  for (const file of Object.values(env)) writeFileSync(file, '');
  const text = (variable: keyof typeof names) => {
    try {
      return readFileSync(env[variable]!, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    env,
    async read() {
      const envFile = parseEnvFile(text('GITHUB_ENV'));
      const outputFile = parseEnvFile(text('GITHUB_OUTPUT'));
      const stateFile = parseEnvFile(text('GITHUB_STATE'));
      return {
        env: envFile.values,
        outputs: outputFile.values,
        state: stateFile.values,
        path: parsePathFile(text('GITHUB_PATH')),
        summary: text('GITHUB_STEP_SUMMARY'),
        errors: [...envFile.errors.map((e) => `GITHUB_ENV: ${e}`), ...outputFile.errors.map((e) => `GITHUB_OUTPUT: ${e}`), ...stateFile.errors.map((e) => `GITHUB_STATE: ${e}`)],
      };
    },
  };
}
