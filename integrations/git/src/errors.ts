import { SlipwayError } from '@slipway/core';
import { CommandError } from './exec.js';

/** How git says that it could not talk to the remote or that the branch is not there (messages are in the C locale). */
const remoteFailures = [
  'does not appear to be a git repository',
  'could not read from remote repository',
  'unable to access',
  'could not resolve host',
  "couldn't find remote ref",
  'repository not found',
  'authentication failed',
  'terminal prompts disabled',
  'connection refused',
  'connection timed out',
  'permission denied',
  'host key verification failed',
  'unable to connect',
  'the remote end hung up',
  'early eof',
];

export function isRemoteFailure(err: CommandError): boolean {
  const stderr = err.stderr.toLowerCase();
  return err.timedOut || remoteFailures.some((m) => stderr.includes(m));
}

/**
 * Wraps a failure into a SlipwayError: SLW_SOURCE_UNREACHABLE when `unreachable` says so, else SLW_SOURCE_FAILED.
 * Non-git errors (aborts, SlipwayErrors) pass through unchanged.
 */
export function sourceError(err: unknown, what: string, unreachable: (e: CommandError) => boolean = () => false): unknown {
  if (!(err instanceof CommandError)) return err;
  const code = unreachable(err) ? 'SLW_SOURCE_UNREACHABLE' : 'SLW_SOURCE_FAILED';
  const detail = err.timedOut ? 'timed out' : oneLine(err.stderr) || `${err.command} exited with code ${err.exitCode}`;
  const noMirror = err.stderr.includes('not a git repository');
  return new SlipwayError(code, `${what}: ${detail}`, { cause: err, ...(noMirror ? { hint: 'The project has no mirror yet: fetch it first.' } : {}) });
}

/** git's fatal and error lines on one line; its advice paragraphs ("Please make sure ...") are dropped. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /^(fatal|error):/.test(l));
  return (errors.length > 0 ? errors : lines).join('; ');
}
