/** A word for a POSIX shell script: single quotes, with each `'` closed, escaped and reopened. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface LauncherInput {
  /** Where the step's shell writes its PID, so that a second exec can kill its process group. */
  pidFile: string;
  cwd: string;
  env: Record<string, string>;
  /** The step's shell command line, with the script file. */
  argv: string[];
}

/**
 * The script one exec runs for a step. The exec API takes neither a working directory nor an environment, and the
 * command line travels in the request URL (and into the API server's audit log), so that everything of the step —
 * secrets in its environment included — goes into this file in the shared temp directory, which deletes itself.
 *
 * The shell records its PID and then becomes the step's command through `exec`: runc starts every exec as a session
 * and process group leader, so that PID is the step's process group, as with the Docker executor. `env` sets the
 * variables, including those a shell cannot hold (`INPUT_WHO-TO-GREET`), on top of the image's (PATH, HOME).
 */
export function launcherScript(input: LauncherInput): string {
  const assignments = Object.entries(input.env).map(([k, v]) => shellQuote(`${k}=${v}`));
  return [
    `echo $$ > ${shellQuote(input.pidFile)}`,
    'rm -f "$0"',
    `cd ${shellQuote(input.cwd)} 2>/dev/null || { printf 'could not start the step: no such directory: %s\\n' ${shellQuote(input.cwd)} >&2; exit 126; }`,
    `exec env ${[...assignments, ...input.argv.map(shellQuote)].join(' ')}`,
    '',
  ].join('\n');
}

/**
 * Kills a step's process group from a second exec, once the step has written its PID (it may still be starting), and
 * falls back to the PID alone if a runtime did not make the exec a group leader. `$0` is the PID file.
 */
export const killScript = 'i=0; while [ ! -s "$0" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; pid=$(cat "$0" 2>/dev/null) || exit 0; kill -KILL -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; exit 0';
