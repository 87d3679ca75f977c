import { describe, expect, it } from 'vitest';
import { parseExecStatus } from './exec-status.js';

describe('parseExecStatus', () => {
  it.each([
    ['{"metadata":{},"status":"Success"}', { exitCode: 0 }],
    [
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
      { exitCode: 3 },
    ],
    [
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit code 137","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"137"}]}}',
      { exitCode: 137 },
    ],
    [
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: failed to exec in container: container is in CONTAINER_EXITED state","reason":"InternalError"}',
      { error: 'Internal error occurred: error executing command in container: failed to exec in container: container is in CONTAINER_EXITED state' },
    ],
    ['{"status":"Failure","reason":"NonZeroExitCode"}', { error: 'exec failed (NonZeroExitCode)' }],
    [undefined, { error: 'the exec connection closed before the command reported an exit status' }],
    ['', { error: 'the exec connection closed before the command reported an exit status' }],
    ['plain text from an old server\n', { error: 'plain text from an old server' }],
  ])('reads %j', (text, outcome) => {
    expect(parseExecStatus(text)).toEqual(outcome);
  });
});
