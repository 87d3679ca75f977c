import { spawn } from 'node:child_process';
import type { Executor } from '@slipway/core';

/** Runs each step as a host process in its own process group, so that a timeout or abort kills the whole tree. */
export function createHostExecutor(): Executor {
  return {
    name: 'host',
    runStep(step, onOutput, signal) {
      return new Promise((resolve) => {
        const child = spawn(step.shell === 'bash' ? 'bash' : 'sh', step.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.command] : ['-e', '-c', step.command], {
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
            push(chunk: Buffer) {
              const text = rest + chunk.toString('utf8');
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
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => err.push(c));
        child.on('error', (e) => {
          onOutput({ stream: 'stderr', text: `could not start the step: ${e.message}` });
        });
        child.on('close', (code, sig) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          out.flush();
          err.flush();
          resolve({ exitCode: code ?? (sig ? 128 + 9 : 1) });
        });
      });
    },
  };
}
