import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile, parsePathFile } from '@slipway/core';
import { createFilePool, type FilePool } from './file-pool.js';

/** The files a step writes to talk back to the runner (GITHUB_ENV, GITHUB_OUTPUT, …), fresh for each step. */
export interface StepFiles {
  env: Record<string, string>;
  read(): Promise<{ env: Record<string, string>; outputs: Record<string, string>; state: Record<string, string>; path: string[]; summary: string; errors: string[] }>;
}

const names = { GITHUB_ENV: 'env', GITHUB_OUTPUT: 'output', GITHUB_PATH: 'path', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' } as const;

/** One pool of empty files per job's file-command directory. */
const pools = new Map<string, FilePool>();

/** Forgets the pool of a job's temp directory; the job removes the directory itself. */
export async function releaseStepFiles(tempDir: string): Promise<void> {
  const dir = join(tempDir, '_runner_file_commands');
  const pool = pools.get(dir);
  pools.delete(dir);
  await pool?.close();
}

export async function createStepFiles(tempDir: string, stepKey: string): Promise<StepFiles> {
  const dir = join(tempDir, '_runner_file_commands');
  const env: Record<string, string> = Object.fromEntries(Object.entries(names).map(([variable, name]) => [variable, join(dir, `${name}_${stepKey}`)]));
  // Synchronous on purpose: through fs/promises each file is an open, a write or read and a close, each a round trip
  // through libuv's thread pool; on a busy 2-core machine those round trips were most of the runner's own time per step.
  // The files themselves come from a pool filled in the background (file-pool.ts).
  let pool = pools.get(dir);
  if (!pool) {
    mkdirSync(dir, { recursive: true });
    pool = createFilePool(dir, Object.keys(names).length);
    pools.set(dir, pool);
  }
  for (const file of Object.values(env)) pool.take(file);
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
