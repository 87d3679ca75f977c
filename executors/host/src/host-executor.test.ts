import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepOutput, StepSpec } from '@slipway/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHostExecutor } from './host-executor.js';

const executor = createHostExecutor();
const workdir = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-host-executor-')));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

/** Runs one step and collects its output by stream. */
async function run(command: string, options: Partial<StepSpec> = {}, signal = new AbortController().signal) {
  const output: StepOutput[] = [];
  const started = Date.now();
  const job = await executor.prepareJob({ id: 'test', workspace: workdir, temp: join(workdir, '.tmp') }, signal);
  const { exitCode } = await job.runStep({ command, shell: 'sh', cwd: workdir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 10_000, ...options }, (o: StepOutput) => output.push(o), signal);
  await job.dispose();
  const lines = (stream: StepOutput['stream']) => output.filter((o) => o.stream === stream).map((o) => o.text);
  return { exitCode, stdout: lines('stdout'), stderr: lines('stderr'), ms: Date.now() - started };
}

/** A `sleep` whose command line nothing else on the machine has, so that pgrep finds only ours. */
const uniqueSleep = () => `sleep 30.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
const running = (marker: string) => spawnSync('pgrep', ['-f', marker]).status === 0;

describe('host executor', () => {
  // Exit codes per shell, line splitting, pieces and multi-byte characters are in the shared executor conformance
  // suite, which runs on the host too (conformance.test.ts).

  it('passes exactly the given environment', async () => {
    const { stdout } = await run('echo "$GREETING"; echo "${HOME-no home}"; echo "${SLIPWAY_LEAK-no leak}"', { env: { PATH: process.env.PATH!, GREETING: 'hello world' } });
    process.env.SLIPWAY_LEAK = 'leaked';
    try {
      expect(stdout).toEqual(['hello world', 'no home', 'no leak']);
      expect((await run('echo "${SLIPWAY_LEAK-no leak}"')).stdout).toEqual(['no leak']);
    } finally {
      delete process.env.SLIPWAY_LEAK;
    }
  });

  it('runs in the given working directory', async () => {
    const { stdout } = await run('pwd; touch made-here');
    expect(stdout).toEqual([workdir]);
    expect(existsSync(join(workdir, 'made-here'))).toBe(true);
  });

  it('reports a step that cannot start as failed', async () => {
    const { exitCode, stderr } = await run('echo hi', { cwd: join(workdir, 'does-not-exist') });
    expect(exitCode).not.toBe(0);
    expect(stderr.join('\n')).toContain('could not start the step');
  });

  it('kills the whole process group on timeout', async () => {
    const sleep = uniqueSleep();
    const { exitCode, stderr, ms } = await run(`${sleep} & echo started; wait`, { timeoutMs: 400 });
    expect(exitCode).toBe(137);
    expect(stderr).toContain('step timed out after 0s');
    expect(ms).toBeLessThan(3000);
    await vi.waitFor(() => expect(running(sleep)).toBe(false), { timeout: 1000, interval: 50 });
  });

  it('kills the whole process group when the signal aborts', async () => {
    const sleep = uniqueSleep();
    const controller = new AbortController();
    const result = run(`${sleep} & wait`, {}, controller.signal);
    await vi.waitFor(() => expect(running(sleep)).toBe(true), { timeout: 2000, interval: 20 });
    controller.abort();
    const { exitCode, stderr, ms } = await result;
    expect(exitCode).toBe(137);
    expect(stderr).toContain('step cancelled');
    expect(ms).toBeLessThan(3000);
    await vi.waitFor(() => expect(running(sleep)).toBe(false), { timeout: 1000, interval: 50 });
  });

  it('does not run a step whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(workdir, 'should-not-exist');
    const { exitCode, stderr } = await run(`sleep 0.3; touch ${marker}`, {}, controller.signal);
    expect(exitCode).not.toBe(0);
    expect(stderr).toContain('step cancelled');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(existsSync(marker)).toBe(false);
  });
});
