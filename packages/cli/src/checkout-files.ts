import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A directory of the Slipway checkout (`examples/demo`, `scripts`), found by walking up from the running bundle. */
export function findInCheckout(from: string, relative: string, marker: string): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, relative);
    if (existsSync(join(candidate, marker))) return candidate;
    dir = join(dir, '..');
  }
  return undefined;
}
