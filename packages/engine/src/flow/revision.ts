import { createHash } from 'node:crypto';
import type { ImagesConfig, ServiceConfig, SourceProvider, SourceRef } from '@slipway/core';

/** The literal directory prefix of a glob (`lib/**` → `lib`), or undefined when the glob starts with a wildcard. */
export function literalPrefix(glob: string): string | undefined {
  const parts = glob.split('/');
  const i = parts.findIndex((p) => /[*?[]/.test(p));
  const prefix = (i === -1 ? parts : parts.slice(0, i)).join('/');
  return prefix === '' ? undefined : prefix;
}

/**
 * A service's content revision at a commit: its source tree, its shared paths and its config. Two commits that do not
 * touch a service give it the same revision, so it is not rebuilt or redeployed.
 */
export async function serviceRevision(source: SourceProvider, ref: SourceRef, sha: string, spec: ServiceConfig, images?: ImagesConfig): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`tree:${(await source.objectId(ref, sha, spec.path.replace(/\/+$/, ''))) ?? 'none'}\n`);
  // An image's context may reach outside the service path; where images are pushed is an input too.
  if (spec.image?.context) hash.update(`context:${(await source.objectId(ref, sha, spec.image.context.replace(/\/+$/, ''))) ?? 'none'}\n`);
  if (images) hash.update(`images:${JSON.stringify(images)}\n`);
  for (const glob of [...(spec.paths ?? []), ...spec.shared]) {
    const prefix = literalPrefix(glob);
    // Without a literal prefix we cannot name one tree for the glob: fall back to the commit, which is always "changed".
    hash.update(`${glob}:${prefix ? ((await source.objectId(ref, sha, prefix)) ?? 'none') : sha}\n`);
  }
  hash.update(JSON.stringify(spec));
  return hash.digest('hex').slice(0, 16);
}

export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
