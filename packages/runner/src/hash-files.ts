import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { globToRegExp } from '@slipway/core';

/**
 * hashFiles() as GitHub defines it: the SHA-256 of the SHA-256 of every matching file under the workspace, in path order;
 * the empty string when nothing matches. `!pattern` excludes.
 */
export function hashFiles(workspace: string, patterns: string[]): string {
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => globToRegExp(p.replace(/^\.\//, '')));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1).replace(/^\.\//, '')));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const rel = relative(workspace, full);
        if (include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) files.push(full);
      }
    }
  };
  walk(workspace);
  if (files.length === 0) return '';
  const outer = createHash('sha256');
  for (const f of files.sort()) outer.update(createHash('sha256').update(readFileSync(f)).digest());
  return outer.digest('hex');
}
