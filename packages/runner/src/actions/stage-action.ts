import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { JobState } from '../job-state.js';

const inside = (root: string, dir: string) => {
  const rel = relative(root, dir);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * An action from outside the job's directories (the action cache, or the run's source tree before a checkout) is
 * copied into the job's temp directory, as GitHub's runner downloads actions into `_work/_actions`: a job container
 * sees only the workspace and temp directories, so its steps could not read the action's files where they are.
 */
export async function stageActionDir(state: JobState, dir: string, display: string): Promise<string> {
  if (inside(state.workspace, dir) || inside(state.temp, dir)) return dir;
  const dest = join(state.temp, '_actions', display.replace(/[^A-Za-z0-9._-]+/g, '_'));
  if (!existsSync(dest)) await cp(dir, dest, { recursive: true });
  return dest;
}
