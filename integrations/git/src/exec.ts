import { execFile, type ExecFileException } from 'node:child_process';
import { redactText } from './redact.js';

/** Large enough for a file listing of a big monorepo or a large file read by readFile. */
const maxBuffer = 256 * 1024 * 1024;

/**
 * Variables that would point git at another repository than the one we name. They are set when Slipway itself runs
 * inside a git hook, for example a pre-commit hook that runs the tests.
 */
const repositoryVariables = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX'];

/** The environment of every git command. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A credential prompt would hang a background poll forever.
    GIT_TERMINAL_PROMPT: '0',
    // English messages: error classification matches git's own wording.
    LC_ALL: 'C',
    // Paths from slipway.yaml are paths, never glob patterns.
    GIT_LITERAL_PATHSPECS: '1',
  };
  for (const name of repositoryVariables) delete env[name];
  // ssh asks for passphrases and unknown host keys on the terminal; batch mode fails instead.
  if (!env.GIT_SSH_COMMAND && !env.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  return env;
}

/** A git (or tar) command that failed. Its message, command and stderr are redacted: they never contain credentials. */
export class CommandError extends Error {
  constructor(
    /** The redacted command line, without `--git-dir`. */
    readonly command: string,
    /** The exit code, or null when git did not run or was killed. */
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(`${command} failed${timedOut ? ' (timed out)' : exitCode === null ? '' : ` with exit code ${exitCode}`}${stderr ? `: ${stderr}` : ''}`);
    this.name = 'CommandError';
  }
}

export interface GitOptions {
  /** The repository to run in (a bare mirror). Omit for commands that need none (ls-remote, init). */
  gitDir?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra environment for this command only (credentials, see credentials.ts). */
  env?: Record<string, string>;
}

/** Runs git without a shell and resolves with its stdout. Rejects with a CommandError, or the signal's reason when aborted. */
export function git(args: string[], options: GitOptions = {}): Promise<string> {
  const argv = options.gitDir ? [`--git-dir=${options.gitDir}`, ...args] : args;
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      argv,
      { env: { ...gitEnv(), ...options.env }, encoding: 'utf8', maxBuffer, signal: options.signal, timeout: options.timeoutMs ?? 0, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if (options.signal?.aborted) return reject(options.signal.reason);
        reject(toGitError(args, err, stderr));
      },
    );
  });
}

/** Converts a child-process error without keeping it: its message holds the raw command line, credentials included. */
function toGitError(args: string[], err: ExecFileException, stderr: string): CommandError {
  const command = redactText(`git ${args.join(' ')}`);
  if (err.code === 'ENOENT') return new CommandError(command, null, 'git is not installed or not on PATH', false);
  if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return new CommandError(command, null, 'output too large', false);
  const exitCode = typeof err.code === 'number' ? err.code : null;
  return new CommandError(command, exitCode, redactText(stderr.trim()), err.killed === true && exitCode === null);
}
