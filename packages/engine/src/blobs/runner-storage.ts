import type { CiStorage as RunnerStorage } from '@slipway/runner';
import type { CiStorage } from './ci-storage.js';

/** The runner's view of CI storage for one run: artifacts belong to the run, caches to the project. */
export function runnerStorage(storage: CiStorage, runId: string): RunnerStorage {
  return {
    saveCache: (key, paths, cwd) => storage.saveCache(key, paths, cwd),
    restoreCache: (key, restoreKeys, paths, cwd) => storage.restoreCache(key, restoreKeys, paths, cwd),
    uploadArtifact: async (name, paths, cwd) => {
      const a = await storage.uploadArtifact(runId, name, paths, cwd, { overwrite: true });
      return { digest: a.digest, size: a.size };
    },
    downloadArtifact: (name, dest) => storage.downloadArtifact(runId, name, dest),
  };
}
