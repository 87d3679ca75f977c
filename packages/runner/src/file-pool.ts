import { renameSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Empty files made ahead of time, in the background, and renamed into place when a step needs fresh ones. Creating a
 * file costs ~0.8 ms on the ext4 disks of our machines against ~0.02 ms for a rename, and a step needs five fresh
 * file-command files: made while the previous step's process runs, they leave the step's critical path
 * (bench/workflow-steps.mjs, docs/benchmarks.md). Every step still gets new, empty files, as on GitHub.
 */
export interface FilePool {
  /** Puts an empty file at `dest`: a pooled one when there is one, else a new one. */
  take(dest: string): void;
  /** Stops refilling and waits for a refill in flight, so that the directory can then be removed. */
  close(): Promise<void>;
}

export function createFilePool(dir: string, batch: number): FilePool {
  const ready: string[] = [];
  let counter = 0;
  let filling: Promise<void> | undefined;
  let closed = false;
  const refill = () => {
    if (filling || closed || ready.length >= batch) return;
    const names = Array.from({ length: batch * 2 - ready.length }, () => join(dir, `.pool-${counter++}`));
    filling = Promise.allSettled(names.map(async (f) => (await writeFile(f, '', { flag: 'wx' }), f))).then((made) => {
      filling = undefined;
      if (closed) return;
      for (const r of made) if (r.status === 'fulfilled') ready.push(r.value);
    });
  };
  return {
    take(dest) {
      const pooled = ready.pop();
      try {
        if (pooled === undefined) throw new Error('empty');
        renameSync(pooled, dest);
      } catch {
        writeFileSync(dest, '');
      }
      refill();
    },
    async close() {
      closed = true;
      await filling;
    },
  };
}
