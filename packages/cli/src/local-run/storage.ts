import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SlipwayError, type Store } from '@slipway/core';
import { createBlobStore, createCiStorage, runnerStorage } from '@slipway/engine';
import type { CiStorage } from '@slipway/runner';
import { createSqliteStore } from '@slipway/store';

/** Caches and artifacts of local runs of one repository; see docs/adr/007-local-run-storage.md. */
export interface LocalStorage {
  dir: string;
  /** Why the per-repository storage could not be used, when a temporary one stands in. */
  warning?: string;
  /** Records a run of `workflow` (artifacts belong to a run) and gives the runner its storage and the run id. */
  startRun(workflow: { file: string; name: string; sha: string; branch: string }): Promise<{ runId: string; storage?: CiStorage }>;
  close(): Promise<void>;
}

/** Caches not used for this long are forgotten, as GitHub evicts caches unused for 7 days. */
const cacheMaxAgeMs = 7 * 24 * 3600 * 1000;

/** `$XDG_CACHE_HOME/slipway/local/<repository dir name>-<hash of its path>`: one per repository, outside the work tree. */
export function localStorageDir(root: string, env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  return join(base, 'slipway', 'local', `${basename(root).replace(/[^A-Za-z0-9_.-]+/g, '-')}-${id}`);
}

/**
 * Opens the per-repository store. When another `slipway run` of the same repository holds it, this run gets a temporary
 * store instead (it works, without cache hits) rather than waiting or failing.
 */
export async function openLocalStorage(root: string): Promise<LocalStorage> {
  const dir = localStorageDir(root);
  let store: Store;
  let used = dir;
  let temp: string | undefined;
  let warning: string | undefined;
  try {
    store = await createSqliteStore({ file: join(dir, 'slipway.db') });
  } catch (err) {
    // SQLite cannot load (its native module was built for another Node.js): the run goes on, without caches or artifacts.
    if (err instanceof SlipwayError && err.code === 'SLW_STORE_UNAVAILABLE') return withoutStorage(dir, `caches and artifacts are off for this run: ${err.message}; ${err.hint}`);
    if (!(err instanceof SlipwayError && err.code === 'SLW_STORE_LOCKED')) throw err;
    temp = mkdtempSync(join(tmpdir(), 'slipway-run-storage-'));
    used = temp;
    warning = `another slipway run of this repository is using ${dir}; this run keeps its caches and artifacts in a temporary directory`;
    store = await createSqliteStore({ file: join(temp, 'slipway.db') });
  }
  const blobs = createBlobStore(join(used, 'blobs'));
  const project = (await store.getProject('local')) ?? (await store.createProject({ name: 'local', repoUrl: root, branch: 'main', pollIntervalMs: 0 }));
  await store.deleteCacheEntries({ olderThan: new Date(Date.now() - cacheMaxAgeMs).toISOString(), projectId: project.id });
  const ci = createCiStorage({ store, blobs, projectId: project.id });
  return {
    dir: used,
    ...(warning ? { warning } : {}),
    async startRun(workflow) {
      const run = await store.createRun({ projectId: project.id, workflow: workflow.file, workflowName: workflow.name, commitSha: workflow.sha, branch: workflow.branch, trigger: 'manual', jobs: [] });
      return { runId: run.id, storage: runnerStorage(ci, run.id) };
    },
    async close() {
      await store.close();
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}


function withoutStorage(dir: string, warning: string): LocalStorage {
  return {
    dir,
    warning,
    startRun: async () => ({ runId: `local-${randomUUID().slice(0, 8)}` }),
    close: async () => {},
  };
}
