import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { parseConfig, parseWorkflow, SlipwayError, workflowDirs } from '@slipway/core';
import { color, printJson } from '../output.js';
import { listWorkflowFiles } from '../workflow-files.js';

/** `slipway validate [path]`: every error in slipway.yaml and the workflows, each with file:line:col, a code and a hint. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check slipway.yaml and the CI workflows; print every error with file:line:col. Exits 2 when invalid.')
    .argument('[path]', 'slipway.yaml, or the directory that holds it', '.')
    .option('--json', 'print the result as JSON')
    .action((path: string, opts: { json?: boolean }) => {
      const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'slipway.yaml') : path;
      if (!existsSync(file)) throw new SlipwayError('SLW_CONFIG_NOT_FOUND', `${file} does not exist`);
      const root = join(file, '..');
      const shown = relative(process.cwd(), file) || file;
      const errors = [...parseConfig(readFileSync(file, 'utf8'), shown).errors];
      const config = errors.length === 0 ? parseConfig(readFileSync(file, 'utf8'), shown).value : undefined;
      const files = listWorkflowFiles(root, workflowDirs(config?.workflows.githubDir ?? false));
      const workflows = files.length;
      for (const wf of files) errors.push(...parseWorkflow(readFileSync(wf.abs, 'utf8'), wf.shown).errors);
      if (opts.json) {
        printJson({ valid: errors.length === 0, file: shown, workflows, errors: errors.map((e) => ({ ...e.toJSON(), formatted: e.format() })) });
      } else if (errors.length === 0) {
        process.stdout.write(`${color.green('✓')} ${shown} is valid (${Object.keys(config?.services ?? {}).length} services, ${Object.keys(config?.environments ?? {}).length} environments, ${workflows} workflows)\n`);
      } else {
        for (const e of errors) process.stderr.write(`${e.format()}\n  ${color.grey('hint:')} ${e.hint}\n`);
        process.stderr.write(`${color.red(`${errors.length} error${errors.length === 1 ? '' : 's'}`)}\n`);
      }
      if (errors.length > 0) process.exitCode = 2;
    });
}
