import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Deletes all but the `keep` newest `.log` files of a service directory, never the one of `currentId`.
 * Instance ids start with a base-36 timestamp, so names sort by age.
 */
export async function pruneLogs(dir: string, keep: number, currentId: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
  } catch {
    return;
  }
  const old = names.slice(0, Math.max(0, names.length - keep)).filter((name) => name !== `${currentId}.log`);
  await Promise.all(old.map((name) => rm(join(dir, name), { force: true })));
}
