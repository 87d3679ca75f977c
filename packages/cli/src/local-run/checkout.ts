import { cpSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Left out of a copy of a directory that is not a git work tree. */
const skipped = new Set(['.git', 'node_modules']);

/**
 * Copies the working tree into `dest`, as the local run's actions/checkout: the listed files (git's tracked and
 * untracked, not ignored, files) or, outside git, everything but .git and node_modules. Files deleted from the work tree
 * but still in the index are left out; symbolic links are copied as links.
 */
export function copyWorkingTree(root: string, dest: string, files: readonly string[] | null): void {
  mkdirSync(dest, { recursive: true });
  if (files === null) {
    for (const e of readdirSync(root)) if (!skipped.has(e)) cpSync(join(root, e), join(dest, e), { recursive: true, verbatimSymlinks: true });
    return;
  }
  for (const f of files) {
    const from = join(root, f);
    try {
      lstatSync(from);
    } catch {
      continue;
    }
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(from, join(dest, f), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }
}
