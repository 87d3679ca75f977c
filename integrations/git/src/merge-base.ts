import { CommandError, git } from './exec.js';
import { sourceError } from './errors.js';

/** The best common ancestor of two commits, or null when the histories are unrelated. */
export async function mergeBaseOf(gitDir: string, a: string, b: string): Promise<string | null> {
  try {
    return (await git(['merge-base', a, b], { gitDir })).trim() || null;
  } catch (err) {
    // Exit status 1 with no output: no common ancestor.
    if (err instanceof CommandError && err.exitCode === 1 && err.stderr === '') return null;
    throw sourceError(err, `cannot find the merge base of ${a.slice(0, 7)} and ${b.slice(0, 7)}`);
  }
}
