import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseConfig, type SlipwayError, type SlipwayConfig } from '@slipway/core';

/** A workflow file found in a repository. */
export interface WorkflowFile {
  /** Absolute path. */
  abs: string;
  /** Relative to the repository root, with `/`: what `github.workflow_ref` and the run records show. */
  rel: string;
  /** Relative to the current directory, as errors and commands show it to the user. */
  shown: string;
}

/** The `*.yml` and `*.yaml` files of the workflow directories under `root`, sorted by name within each directory. */
export function listWorkflowFiles(root: string, dirs: readonly string[], cwd = process.cwd()): WorkflowFile[] {
  const files: WorkflowFile[] = [];
  for (const dir of dirs) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = join(abs, name);
      files.push({ abs: file, rel: `${dir}/${name}`, shown: relative(cwd, file) || file });
    }
  }
  return files;
}

/** slipway.yaml of a repository, when there is one: its parsed value or its errors. */
export function readProjectConfig(root: string, cwd = process.cwd()): { file: string; config?: SlipwayConfig; errors: SlipwayError[] } | undefined {
  const file = join(root, 'slipway.yaml');
  if (!existsSync(file)) return undefined;
  const shown = relative(cwd, file) || file;
  const parsed = parseConfig(readFileSync(file, 'utf8'), shown);
  return { file: shown, ...(parsed.value && parsed.errors.length === 0 ? { config: parsed.value } : {}), errors: [...parsed.errors] };
}
