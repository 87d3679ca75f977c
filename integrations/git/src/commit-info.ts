import type { CommitInfo } from '@slipway/core';
import { git } from './exec.js';
import { sourceError } from './errors.js';

/** id, author name, committer date (strict ISO 8601) and the raw message, NUL-separated: a message may hold anything else. */
const format = '%H%x00%an%x00%cI%x00%B';

export async function readCommitInfo(gitDir: string, sha: string): Promise<CommitInfo> {
  let out: string;
  try {
    // A user's log.showSignature would print gpg output into the format.
    out = await git(['-c', 'log.showSignature=false', 'show', '-s', `--format=${format}`, `${sha}^{commit}`, '--'], { gitDir });
  } catch (err) {
    throw sourceError(err, `cannot read commit ${sha}`);
  }
  const [id = '', author = '', timestamp = '', ...message] = out.split('\0');
  return { sha: id, author, timestamp, message: message.join('\0').trimEnd() };
}
