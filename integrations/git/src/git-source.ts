import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceProvider, SourceRef } from '@slipway/core';
import { archiveInto } from './checkout.js';
import { withCredentials, type GitCredentials } from './credentials.js';
import { fetchIntoMirror, fetchRefIntoMirror, lsRemoteHead, lsRemoteHeads } from './mirror.js';
import { createKeyedMutex } from './mutex.js';
import { sourceError } from './errors.js';
import { createObjectReader, type ObjectReader } from './object-reader.js';
import { changedPaths, commitInfoOf, hasCommitObject, listFilesAt, objectIdAt, readBlobAt } from './object-reads.js';
import { mergeBaseOf } from './merge-base.js';
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
  // One object reader per mirror: commit reads cost a line on a pipe, not a git process each.
  const readers = new Map<string, ObjectReader>();
  const objects = (ref: SourceRef, sha: string): ObjectReader => {
    const gitDir = commit(ref, sha);
    let reader = readers.get(gitDir);
    if (!reader) readers.set(gitDir, (reader = createObjectReader(gitDir)));
    return reader;
  };
  const reading = async <T>(what: string, read: Promise<T>): Promise<T> => {
    try {
      return await read;
    } catch (err) {
      throw sourceError(err, what);
    }
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

    async hasCommit(ref, sha) {
      return existsSync(commit(ref, sha)) && reading(`cannot look up ${sha}`, hasCommitObject(objects(ref, sha), sha));
    },

    async mergeBase(ref, a, b) {
      assertSha(b);
      return mergeBaseOf(commit(ref, a), a, b);
    },

    async changedFiles(ref, from, to) {
      const reader = objects(ref, to);
      if (from !== null) assertSha(from);
      if (from === null || !(await reading(`cannot look up ${from}`, hasCommitObject(reader, from)))) return reading(`cannot list the files at ${to}`, listFilesAt(reader, to, ''));
      return reading(`cannot diff ${from} and ${to}`, changedPaths(reader, from, to));
    },

    async readFile(ref, sha, path) {
      const p = normalizePath(path);
      return reading(`cannot read ${p} at ${sha}`, readBlobAt(objects(ref, sha), sha, p));
    },

    async listFiles(ref, sha, dir) {
      const d = normalizePath(dir);
      return reading(`cannot list ${d || 'the files'} at ${sha}`, listFilesAt(objects(ref, sha), sha, d));
    },

    async objectId(ref, sha, path) {
      const p = normalizePath(path);
      return reading(`cannot resolve ${p} at ${sha}`, objectIdAt(objects(ref, sha), sha, p));
    },

    async checkout(ref, sha, dest, paths) {
      const gitDir = commit(ref, sha);
      const wanted = paths?.map(normalizePath);
      // The root among the paths means everything; paths the commit does not have (an optional shared directory) are skipped.
      const selected = !wanted || wanted.includes('') ? undefined : await existing(objects(ref, sha), sha, [...new Set(wanted)]);
      await archiveInto(gitDir, sha, resolve(dest), selected);
    },

    async commitInfo(ref, sha) {
      return reading(`cannot read commit ${sha}`, commitInfoOf(objects(ref, sha), sha));
    },
  };
}

async function existing(reader: ObjectReader, sha: string, paths: string[]): Promise<string[]> {
  const ids = await Promise.all(paths.map((p) => objectIdAt(reader, sha, p)));
  return paths.filter((_, i) => ids[i] !== undefined);
}
