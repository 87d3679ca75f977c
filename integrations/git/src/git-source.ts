import { join, resolve } from 'node:path';
import type { SourceProvider, SourceRef } from '@slipway/core';
import { archiveInto } from './checkout.js';
import { withCredentials, type GitCredentials } from './credentials.js';
import { readCommitInfo } from './commit-info.js';
import { fetchIntoMirror, fetchRefIntoMirror, lsRemoteHead, lsRemoteHeads } from './mirror.js';
import { createKeyedMutex } from './mutex.js';
import { diffNames, hasCommit, listTree, mergeBaseOf, readBlob, resolvePath } from './read.js';
import { assertBranch, assertProjectId, assertRepoUrl, assertSha, normalizePath } from './validate.js';

export interface GitSourceOptions {
  /** Directory holding one bare mirror per project, `<mirrorsDir>/<projectId>.git`. Created on first fetch. */
  mirrorsDir: string;
  /** The credentials of a project's remote (from its secrets), asked for before each remote operation. */
  credentials?: (projectId: string) => Promise<GitCredentials | undefined>;
}

/**
 * A SourceProvider on the system git CLI. Fetches into a project's mirror are serialized in this process; reads run
 * concurrently, which is safe because they name commits by id and a fetch only adds objects and moves one ref.
 * Credentials in repository URLs are never stored in a mirror nor shown in an error.
 */
export function createGitSource(options: GitSourceOptions): SourceProvider {
  const mirrorsDir = resolve(options.mirrorsDir);
  const fetches = createKeyedMutex();

  const mirror = (ref: SourceRef): string => {
    assertProjectId(ref.projectId);
    return join(mirrorsDir, `${ref.projectId}.git`);
  };
  const remote = (ref: SourceRef): void => {
    assertRepoUrl(ref.repoUrl);
    assertBranch(ref.branch);
  };
  const stateDir = join(mirrorsDir, '.slipway');
  /** Runs a remote operation with the project's credentials; never with them for another URL (a fork). */
  const authed = async <T>(ref: SourceRef, url: string, fn: (env: Record<string, string>) => Promise<T>): Promise<T> => {
    const credentials = url === ref.repoUrl ? await options.credentials?.(ref.projectId) : undefined;
    return withCredentials(credentials, stateDir, fn);
  };
  const commit = (ref: SourceRef, sha: string): string => {
    assertSha(sha);
    return mirror(ref);
  };

  return {
    async remoteHead(ref, signal) {
      remote(ref);
      return authed(ref, ref.repoUrl, (env) => lsRemoteHead(ref, signal, env));
    },

    async remoteHeads(ref, signal) {
      remote(ref);
      return authed(ref, ref.repoUrl, (env) => lsRemoteHeads(ref, signal, env));
    },

    async fetch(ref, signal) {
      remote(ref);
      const gitDir = mirror(ref);
      return fetches.run(ref.projectId, async () => {
        signal?.throwIfAborted();
        return authed(ref, ref.repoUrl, (env) => fetchIntoMirror(gitDir, ref, signal, env));
      });
    },

    async fetchRef(ref, remoteRef, localRef, fromUrl, signal) {
      remote(ref);
      if (fromUrl !== undefined) assertRepoUrl(fromUrl);
      const gitDir = mirror(ref);
      return fetches.run(ref.projectId, async () => {
        signal?.throwIfAborted();
        const url = fromUrl ?? ref.repoUrl;
        return authed(ref, url, (env) => fetchRefIntoMirror(gitDir, url, remoteRef, localRef, signal, env));
      });
    },

    async mergeBase(ref, a, b) {
      assertSha(b);
      return mergeBaseOf(commit(ref, a), a, b);
    },

    async changedFiles(ref, from, to) {
      const gitDir = commit(ref, to);
      if (from !== null) assertSha(from);
      if (from === null || !(await hasCommit(gitDir, from))) return listTree(gitDir, to, '');
      return diffNames(gitDir, from, to);
    },

    async readFile(ref, sha, path) {
      return readBlob(commit(ref, sha), sha, normalizePath(path));
    },

    async listFiles(ref, sha, dir) {
      return listTree(commit(ref, sha), sha, normalizePath(dir));
    },

    async objectId(ref, sha, path) {
      return resolvePath(commit(ref, sha), sha, normalizePath(path));
    },

    async checkout(ref, sha, dest, paths) {
      const gitDir = commit(ref, sha);
      const wanted = paths?.map(normalizePath);
      // The root among the paths means everything; paths the commit does not have (an optional shared directory) are skipped.
      const selected = !wanted || wanted.includes('') ? undefined : await existing(gitDir, sha, [...new Set(wanted)]);
      await archiveInto(gitDir, sha, resolve(dest), selected);
    },

    async commitInfo(ref, sha) {
      return readCommitInfo(commit(ref, sha), sha);
    },
  };
}

async function existing(gitDir: string, sha: string, paths: string[]): Promise<string[]> {
  const ids = await Promise.all(paths.map((p) => resolvePath(gitDir, sha, p)));
  return paths.filter((_, i) => ids[i] !== undefined);
}
