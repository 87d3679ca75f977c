import { spawn } from 'node:child_process';
import type { StepOutput } from '@slipway/core';

export interface ProcessSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

/** Runs one process in its own process group, so that a timeout or abort kills the whole tree. Output arrives line by line. */
export function runProcess(step: ProcessSpec, onOutput: (out: StepOutput) => void, signal: AbortSignal): Promise<{ exitCode: number }> {
      return new Promise((resolve) => {
        // An abort event never fires for a signal that is already aborted: check it, or the step would run to its end.
        if (signal.aborted) {
          onOutput({ stream: 'stderr', text: 'step cancelled' });
          resolve({ exitCode: 128 + 9 });
          return;
        }
        const child = spawn(step.argv[0]!, step.argv.slice(1), {
          cwd: step.cwd,
          env: step.env,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const kill = (why: string) => {
          onOutput({ stream: 'stderr', text: why });
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        };
        const timer = setTimeout(() => kill(`step timed out after ${Math.round(step.timeoutMs / 1000)}s`), step.timeoutMs);
        const onAbort = () => kill('step cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
        const lines = (stream: 'stdout' | 'stderr') => {
          let rest = '';
          return {
            push(chunk: string) {
              const text = rest + chunk;
              const parts = text.split('\n');
              rest = parts.pop() ?? '';
              for (const p of parts) onOutput({ stream, text: p });
            },
            flush() {
              if (rest) onOutput({ stream, text: rest });
              rest = '';
            },
          };
        };
        const out = lines('stdout');
        const err = lines('stderr');
        // Decode per stream, not per chunk: a chunk can end inside a multi-byte character.
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (c: string) => out.push(c));
        child.stderr.on('data', (c: string) => err.push(c));
        child.on('error', (e) => {
          onOutput({ stream: 'stderr', text: `could not start the step: ${e.message}` });
        });
        child.on('close', (code, sig) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          out.flush();
          err.flush();
          // A negative code is a spawn failure (e.g. the working directory is missing): report it like a shell does.
          resolve({ exitCode: code === null ? (sig ? 128 + 9 : 1) : code < 0 ? 127 : code });
        });
      });
}
