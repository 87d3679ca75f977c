import { createHash } from 'node:crypto';
import { lstat, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SlipwayError, type Artifact, type Store } from '@slipway/core';
import type { BlobStore } from './blob-store.js';

export interface CiStorageOptions {
  store: Store;
  blobs: BlobStore;
  /** Caches are shared by the runs of one project. */
  projectId: string;
  /** What `~` in a cache path means; default the home directory of this process. */
  homeDir?: string;
}

/** The cache and artifact services the runner's built-in actions/cache, upload-artifact and download-artifact use. */
export interface CiStorage {
  /**
   * Saves `paths` under `key`, as actions/cache does after a job: 'exists' when the key (with these paths) is taken,
   * since a cache never changes; 'empty' when none of the paths exists (actions/cache warns and saves nothing).
   */
  saveCache(key: string, paths: string[], cwd: string): Promise<'saved' | 'exists' | 'empty'>;
  /**
   * Restores the cache of `key`, else the newest whose key starts with `key` or, in order, one of `restoreKeys`.
   * `hit` is true only for an exact match, as actions/cache's `cache-hit` output; `matchedKey` names what was restored.
   */
  restoreCache(key: string, restoreKeys: string[], paths: string[], cwd: string): Promise<{ hit: boolean; matchedKey?: string }>;
  /**
   * Archives `paths` as an artifact of the run. As upload-artifact v4 does, names are relative to the paths' least common
   * ancestor (a single directory's contents sit at the root). SLW_NOT_FOUND when no path exists.
   */
  uploadArtifact(runId: string, name: string, paths: string[], cwd: string, options?: { overwrite?: boolean }): Promise<Artifact>;
  /** Extracts an artifact of the run into `dest`; false when the run has no artifact of that name. */
  downloadArtifact(runId: string, name: string, dest: string): Promise<boolean>;
}

/** GitHub's limit on cache keys. */
const maxKeyLength = 512;
/** Characters upload-artifact refuses in a name. */
const badArtifactChars = /[":<>|*?\r\n\\/]/;

/**
 * The cache version, as actions/cache computes it: a hash of the path inputs (as written, so `~/.npm` on two machines is
 * one cache), the compression and a salt. A restore only matches caches of the same version.
 */
export function cacheVersion(paths: string[]): string {
  return createHash('sha256').update([...paths, 'gzip', '1.0'].join('|')).digest('hex');
}

export function createCiStorage(options: CiStorageOptions): CiStorage {
  const { store, blobs, projectId } = options;
  const home = options.homeDir ?? homedir();

  const checkKey = (key: string, what: string) => {
    if (key === '' || key.length > maxKeyLength || key.includes(',')) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `cache ${what} "${key.slice(0, 80)}" is invalid: it must be 1 to ${maxKeyLength} characters and hold no comma`);
    }
  };
  /** The absolute paths that exist, in input order; `~` is the home directory. */
  const existing = async (paths: string[], cwd: string) => {
    const found: string[] = [];
    for (const p of paths) {
      const abs = p === '~' || p.startsWith('~/') ? join(home, p.slice(1)) : resolve(cwd, p);
      if (await lstat(abs).then(() => true, () => false)) found.push(abs);
    }
    return found;
  };
  const inside = (dir: string, abs: string) => abs === dir || abs.startsWith(dir.endsWith(sep) ? dir : dir + sep);

  return {
    async saveCache(key, paths, cwd) {
      checkKey(key, 'key');
      const version = cacheVersion(paths);
      // Cheap check first: packing a large cache only to find the key taken is wasted minutes.
      if ((await store.findCacheEntry(projectId, [key], version))?.key === key) return 'exists';
      const found = await existing(paths, cwd);
      if (found.length === 0) return 'empty';
      const root = resolve(cwd);
      // Paths in the workspace keep relative names, so that a restore into another job's workspace puts them there;
      // others (~/.npm) keep absolute names and go back where they were.
      const names = found.map((abs) => (inside(root, abs) ? relative(root, abs) || '.' : abs));
      const blob = await blobs.packDirectory(names, root);
      return (await store.putCacheEntry({ projectId, key, version, digest: blob.digest, size: blob.size })) ? 'saved' : 'exists';
    },

    async restoreCache(key, restoreKeys, paths, cwd) {
      checkKey(key, 'key');
      for (const k of restoreKeys) checkKey(k, 'restore key');
      const version = cacheVersion(paths);
      const entry = await store.findCacheEntry(projectId, [key, ...restoreKeys], version);
      if (!entry) return { hit: false };
      await blobs.unpack(entry.digest, resolve(cwd), { absoluteNames: true });
      await store.touchCacheEntry(projectId, entry.key, version);
      return { hit: entry.key === key, matchedKey: entry.key };
    },

    async uploadArtifact(runId, name, paths, cwd, uploadOptions) {
      if (name === '' || badArtifactChars.test(name)) {
        throw new SlipwayError('SLW_WORKFLOW_INVALID', `artifact name "${name}" is invalid: it must not be empty or contain any of " : < > | * ? \\ / or a line break`);
      }
      const found = await existing(paths, cwd);
      if (found.length === 0) throw new SlipwayError('SLW_NOT_FOUND', `no files found for artifact "${name}" at ${paths.join(', ')} (in ${cwd})`);
      const root = await artifactRoot(found);
      const blob = await blobs.packDirectory(found.map((abs) => relative(root, abs) || '.'), root);
      return store.putArtifact({ runId, name, digest: blob.digest, size: blob.size, overwrite: uploadOptions?.overwrite });
    },

    async downloadArtifact(runId, name, dest) {
      const artifact = await store.getArtifact(runId, name);
      if (!artifact) return false;
      await mkdir(dest, { recursive: true });
      await blobs.unpack(artifact.digest, dest);
      return true;
    },
  };
}

/** upload-artifact's root: one directory is its own root, one file its parent; several paths their least common ancestor. */
async function artifactRoot(paths: string[]): Promise<string> {
  if (paths.length === 1) {
    const only = paths[0]!;
    return (await stat(only)).isDirectory() ? only : dirname(only);
  }
  const split = paths.map((p) => p.split(sep));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  const root = common.join(sep) || sep;
  // Two files in one directory have that directory as ancestor, never one of the files.
  return paths.includes(root) && !(await stat(root)).isDirectory() ? dirname(root) : root;
}
