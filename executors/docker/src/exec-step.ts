import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { scriptExtension, shellCommand, SlipwayError, type StepOutput, type StepSpec, createLineSplitter } from '@slipway/core';
import { createFrameDemux } from './frame-demux.js';

/**
 * Wraps a step's command: the shell records its PID in a file, then becomes the step's shell. runc starts every exec
 * as a session and process group leader, so that PID is also the step's process group, and killing the group ends
 * the whole tree the step started (`sleep 100 & wait` included) — the same guarantee the host executor gives.
 */
const recordPid = 'echo $$ > "$0"; exec "$@"';
/**
 * A shell drops variables whose names it cannot hold (`INPUT_WHO-TO-GREET`, as GitHub names a JavaScript action's
 * hyphenated inputs) when it execs; `env NAME=value …` puts them back for the step's command.
 */
const validName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The exec's Env, and the `env` assignments that carry the variables a shell would drop. */
export function stepEnvironment(env: Record<string, string>): { env: string[]; restore: string[] } {
  const entries = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const restore = Object.entries(env).filter(([k]) => !validName.test(k)).map(([k, v]) => `${k}=${v}`);
  return { env: entries, restore: restore.length > 0 ? ['env', ...restore] : [] };
}
/** Kills the group; falls back to the PID alone if a runtime did not make the exec a group leader. */
const killGroup = 'kill -KILL -"$0" 2>/dev/null || kill -KILL "$0"';

/** How long to wait for the exec's output to end after its process group was killed, before giving up on it. */
const drainAfterKillMs = 5_000;

/**
 * Runs one step in the job container through `docker exec`. The script goes to a file in the temp directory, which is
 * mounted at the same path, and runs under the same shell command line as on the host. Output is demultiplexed into
 * stdout and stderr lines. On timeout or abort the step's process group is killed inside the container, and the step
 * ends with 137 like a SIGKILLed process.
 */
export async function execStep(container: Docker.Container, temp: string, step: StepSpec, onOutput: (out: StepOutput) => void, signal: AbortSignal): Promise<{ exitCode: number }> {
  // An abort event never fires for a signal that is already aborted: check it, or the step would run to its end.
  if (signal.aborted) {
    onOutput({ stream: 'stderr', text: 'step cancelled' });
    return { exitCode: 137 };
  }
  const name = `step-${randomUUID().slice(0, 8)}`;
  const script = join(temp, `${name}${scriptExtension(step.shell)}`);
  const pidFile = join(temp, `${name}.pid`);
  await writeFile(script, step.command, { mode: 0o700 });
  const environment = stepEnvironment(step.env);

  let stopped = false;
  let stream: Duplex | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    if (stopped) return;
    stopped = true;
    onOutput({ stream: 'stderr', text: why });
    stopping = killStep(container, pidFile).then(() => {
      // The kill ends the exec and with it the stream; a daemon that never closes it must not hang the job.
      const timer = setTimeout(() => stream?.destroy(), drainAfterKillMs);
      timer.unref();
    });
  };
  const timer = setTimeout(() => stop(`step timed out after ${Math.round(step.timeoutMs / 1000)}s`), step.timeoutMs);
  const onAbort = () => stop('step cancelled');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const exec = await engineCall(container, () => container.exec({
      Cmd: ['sh', '-c', recordPid, pidFile, ...environment.restore, ...shellCommand(step.shell, script)],
      // Exec's Env is added to the container's: variables the step does not set (PATH, HOME) keep the image's values.
      Env: environment.env,
      WorkingDir: step.cwd,
      AttachStdout: true,
      AttachStderr: true,
    }));
    stream = (await engineCall(container, () => exec.start({ hijack: true, stdin: false }))) as Duplex;
    await pipeOutput(stream, startFailureAsStderr(onOutput));
    await stopping;
    if (stopped) return { exitCode: 137 };
    return { exitCode: await exitCodeOf(exec) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    await rm(pidFile, { force: true });
  }
}

/** An Engine API call for a step; a refusal (the job container was removed or stopped) names the container. */
async function engineCall<T>(container: Docker.Container, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const reason = (err as { json?: { message?: string } }).json?.message ?? (err as Error).message;
    throw new SlipwayError('SLW_RUN_FAILED', `could not run the step in the job container ${container.id.slice(0, 12)}: ${reason.trim()}`, {
      cause: err,
      hint: 'The job container stopped or was removed while the job ran; see `docker ps -a --filter label=dev.slipway.job`.',
    });
  }
}

/** Reads the stream to its end, splitting it into stdout and stderr lines (partial lines and characters are kept). */
function pipeOutput(stream: Duplex, onOutput: (out: StepOutput) => void): Promise<void> {
  const out = createLineSplitter('stdout', onOutput);
  const err = createLineSplitter('stderr', onOutput);
  const demux = createFrameDemux((which, payload) => (which === 'stdout' ? out : err).push(payload));
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      out.flush();
      err.flush();
      resolve();
    };
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
}

/**
 * When the runtime cannot start the exec (a missing working directory, a missing shell), the daemon writes its error
 * to the exec's stdout, ending in CR. It is the first line: nothing of the step has run. Report it the way the host
 * executor reports a spawn failure.
 */
function startFailureAsStderr(onOutput: (out: StepOutput) => void): (out: StepOutput) => void {
  let first = true;
  return (out) => {
    if (first && out.stream === 'stdout' && out.text.startsWith('OCI runtime exec failed: ')) {
      out = { stream: 'stderr', text: `could not start the step: ${out.text.slice('OCI runtime exec failed: '.length).trimEnd()}` };
    }
    first = false;
    onOutput(out);
  };
}

/** The exec's exit code. The stream can end a moment before the daemon records the exit, so wait for it briefly. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (attempt >= 100) return 1;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Kills the step's process group from a second exec, once the step has written its PID (it may still be starting). */
async function killStep(container: Docker.Container, pidFile: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const pid = (await readFile(pidFile, 'utf8').catch(() => '')).trim();
    if (/^\d+$/.test(pid)) {
      try {
        const kill = await container.exec({ Cmd: ['sh', '-c', killGroup, pid], AttachStdout: true, AttachStderr: true });
        const stream = (await kill.start({ hijack: true, stdin: false })) as Duplex;
        await new Promise((resolve) => {
          stream.on('close', resolve);
          stream.on('end', resolve);
          stream.on('error', resolve);
          stream.resume();
        });
      } catch {
        // The container is gone (disposed meanwhile): so is the step.
      }
      return;
    }
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
