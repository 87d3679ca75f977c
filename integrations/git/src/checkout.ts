import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SlipwayError } from '@slipway/core';
import { CommandError, gitEnv } from './exec.js';
import { sourceError } from './errors.js';
import { redactText } from './redact.js';

/**
 * Writes the tree of a commit, or only the given paths (normalized, all existing), into a new directory with
 * `git archive | tar -x`. The directory is removed again when anything fails.
 */
export async function archiveInto(gitDir: string, sha: string, dest: string, paths: string[] | undefined, signal?: AbortSignal): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  try {
    await mkdir(dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new SlipwayError('SLW_SOURCE_FAILED', `checkout destination ${dest} exists already`, { hint: 'Check out into a new directory.' });
    throw err;
  }
  // `git archive` refuses an empty path list and would archive everything: nothing to write means an empty directory.
  if (paths?.length === 0) return;
  try {
    await pipeArchive(gitDir, sha, dest, paths ?? [], signal);
  } catch (err) {
    await rm(dest, { recursive: true, force: true });
    throw sourceError(err, `cannot check out ${sha} into ${dest}`);
  }
}

function pipeArchive(gitDir: string, sha: string, dest: string, paths: string[], signal?: AbortSignal): Promise<void> {
  const archiveArgs = ['archive', '--format=tar', sha, '--', ...paths];
  const git = spawn('git', [`--git-dir=${gitDir}`, ...archiveArgs], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], signal });
  const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'], signal });
  git.stdout.pipe(tar.stdin);
  // tar exits early on a bad archive; git then gets EPIPE, and the exit codes tell what happened.
  tar.stdin.on('error', () => {});
  return Promise.all([settle(git, redactText(`git ${archiveArgs.join(' ')}`)), settle(tar, 'tar -x')]).then(([gitErr, tarErr]) => {
    if (signal?.aborted) throw signal.reason;
    // git's error explains a tar failure on truncated input, not the other way round.
    const err = gitErr ?? tarErr;
    if (err) throw err;
  });
}

/** Resolves with the child's failure, or undefined when it exited with 0. Never rejects. */
function settle(child: ChildProcess, command: string): Promise<CommandError | undefined> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => resolve(new CommandError(command, null, err.code === 'ENOENT' ? `${command.split(' ')[0]} is not installed or not on PATH` : err.message, false)));
    child.on('close', (code) => resolve(code === 0 ? undefined : new CommandError(command, code, redactText(stderr.trim()), false)));
  });
}
