import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError, isProcessAlive } from '@slipway/core';

export interface DataDirLock {
  release(): void;
}

/** Stores of this process per locked dir, so that a second store in the same process does not delete the first one's lock. */
const holders = new Map<string, number>();


function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir for this process: SQLite with WAL is safe for one server, and the queue's expireAllLeases() on start
 * assumes no other server is working on the same database. `slipway.lock` holds the owner's pid; a lock whose process is
 * gone (a crash) is taken over.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = join(dir, 'slipway.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = readPid(file);
    if (pid === process.pid) break;
    if (pid !== undefined && isProcessAlive(pid)) {
      throw new SlipwayError('SLW_STORE_LOCKED', `the data directory ${dir} is in use by process ${pid} (${file})`);
    }
    // Stale: remove it and create ours exclusively again. Two servers that take over the same stale lock in the same
    // instant could both win; that needs a crash and two simultaneous starts on one dir, which we accept.
    if (attempt >= 3) throw new SlipwayError('SLW_STORE_LOCKED', `could not take the lock ${file}: it keeps changing`);
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  holders.set(file, (holders.get(file) ?? 0) + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (holders.get(file) ?? 1) - 1;
      if (left > 0) {
        holders.set(file, left);
        return;
      }
      holders.delete(file);
      // Only remove the file while it is still ours.
      if (readPid(file) === process.pid) unlinkSync(file);
    },
  };
}
