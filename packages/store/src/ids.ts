import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A short id that sorts by creation time, e.g. `run_0m3x9k2a1000af31c2`. Within one process ids are strictly increasing
 * even within the same millisecond, which makes them a stable tie-break when a frozen test clock gives rows equal timestamps.
 */
export function newId(prefix: string): string {
  const ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else {
    counter += 1;
  }
  const time = lastMs.toString(36).padStart(9, '0');
  const seq = counter.toString(36).padStart(4, '0');
  return `${prefix}_${time}${seq}${randomBytes(4).toString('hex')}`;
}
