/*
 * Caches and artifacts of CI runs. Both point at a content-addressed blob (`sha256:<64 hex>`, the sha256 of its bytes): a
 * tar.gz of the saved paths, kept by the engine's blob store.
 */

/** One saved cache (actions/cache): immutable once written; found by exact key, then by key prefixes. */
export interface CacheEntry {
  projectId: string;
  key: string;
  /** Hash of what the cache holds (its paths); a restore matches only the same version. */
  version: string;
  digest: string;
  /** Bytes of the archive. */
  size: number;
  createdAt: string;
  /** Last save or restore; eviction goes by it. */
  lastUsedAt: string;
}

/** One artifact of a run (actions/upload-artifact); names are unique per run. */
export interface Artifact {
  runId: string;
  name: string;
  digest: string;
  /** Bytes of the archive. */
  size: number;
  createdAt: string;
}
