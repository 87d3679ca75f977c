import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  await mkdir(dir, { recursive: true });
  const env: Record<string, string> = {};
  for (const [variable, name] of Object.entries(names)) {
    const file = join(dir, `${name}_${stepKey}`);
    await writeFile(file, '');
    env[variable] = file;
  }
  const text = (variable: keyof typeof names) => readFile(env[variable]!, 'utf8').catch(() => '');
  return {
    env,
    async read() {
      const envFile = parseEnvFile(await text('GITHUB_ENV'));
      const outputFile = parseEnvFile(await text('GITHUB_OUTPUT'));
      const stateFile = parseEnvFile(await text('GITHUB_STATE'));
      return {
        env: envFile.values,
        outputs: outputFile.values,
        state: stateFile.values,
        path: parsePathFile(await text('GITHUB_PATH')),
        summary: await text('GITHUB_STEP_SUMMARY'),
        errors: [...envFile.errors.map((e) => `GITHUB_ENV: ${e}`), ...outputFile.errors.map((e) => `GITHUB_OUTPUT: ${e}`), ...stateFile.errors.map((e) => `GITHUB_STATE: ${e}`)],
      };
    },
  };
}
