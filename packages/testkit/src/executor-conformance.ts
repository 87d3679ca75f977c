import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Executor, JobEnvironment, StepOutput, StepSpec } from '@slipway/core';

/** What an adapter hands to {@link runExecutorConformance}. */
export interface ExecutorConformanceSetup {
  executor: Executor;
  /** Stops whatever the setup started. */
  cleanup: () => Promise<void>;
  /**
   * Variables every step gets on top of its own. The host executor passes exactly the given environment, so it needs
   * PATH here; a container executor keeps its image's PATH and needs nothing.
   */
  env?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Executor conformance suite: what every executor must do the same way, through the port only. Steps run in one
 * job (prepared once, as a real job runs its steps), except where a test is about the job's lifecycle. A killed step
 * is detected by a heartbeat file that a background loop of the step appends to: when the file stops growing, the
 * whole tree is gone — which works the same for host processes and for processes inside a container.
 */
export function runExecutorConformance(name: string, setup: () => Promise<ExecutorConformanceSetup>): void {
  describe(`Executor conformance: ${name}`, () => {
    let kit: ExecutorConformanceSetup | undefined;
    let job: JobEnvironment | undefined;
    let root = '';
    let workspace = '';
    const runId = randomBytes(3).toString('hex');
    let jobs = 0;
    const newJob = (executor: Executor) => {
      const n = ++jobs;
      return executor.prepareJob({ id: `conformance-${runId}-${n}`, workspace: join(root, `workspace-${n}`), temp: join(root, `temp-${n}`) }, new AbortController().signal);
    };

    beforeAll(async () => {
      kit = await setup();
      root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-executor-conformance-')));
      workspace = join(root, 'workspace');
      await mkdir(workspace, { recursive: true });
      job = await kit.executor.prepareJob({ id: `conformance-${runId}-0`, workspace, temp: join(root, 'temp') }, new AbortController().signal);
    });
    afterAll(async () => {
      await job?.dispose();
      await kit?.cleanup();
      if (root) await rm(root, { recursive: true, force: true });
    });

    /** Runs one step in the shared job and collects its output by stream. */
    async function run(command: string, options: Partial<StepSpec> = {}, signal = new AbortController().signal, on: JobEnvironment = job!) {
      const output: StepOutput[] = [];
      const started = Date.now();
      const step: StepSpec = { command, shell: 'sh', cwd: workspace, timeoutMs: 15_000, ...options, env: { ...kit!.env, ...options.env } };
      const { exitCode } = await on.runStep(step, (o) => output.push(o), signal);
      const lines = (stream: StepOutput['stream']) => output.filter((o) => o.stream === stream).map((o) => o.text);
      return { exitCode, stdout: lines('stdout'), stderr: lines('stderr'), ms: Date.now() - started };
    }

    /** A step whose background loop appends to a heartbeat file in the workspace until it is killed. */
    let beats = 0;
    const heartbeat = () => {
      const file = `heartbeat-${++beats}`;
      return { file: join(workspace, file), command: `(while :; do echo beat >> ${file}; sleep 0.05; done) & echo started; wait` };
    };
    const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
    async function expectStopped(file: string) {
      const before = size(file);
      await sleep(400);
      expect(size(file), 'the step left a process running').toBe(before);
    }

    it.each([
      ['true', 'sh', 0],
      ['exit 3', 'sh', 3],
      // sh -e: the first failing command ends the step.
      ['false; echo not reached', 'sh', 1],
      // bash runs with pipefail; sh has none.
      ['false | true', 'bash', 1],
      ['false | true', 'sh', 0],
      ['echo "${BASH_VERSION:+bash}"; exit 7', 'bash', 7],
      // A custom shell is a template: here bash without pipefail.
      ['false | true', 'bash -e {0}', 0],
    ] as const)('%j with shell %j exits %i', async (command, shell, exitCode) => {
      expect((await run(command, { shell })).exitCode).toBe(exitCode);
    });

    it('runs the node shell with a .js script', async () => {
      const { exitCode, stdout } = await run("console.log('from node', typeof require); process.exit(4)", { shell: 'node' });
      expect(stdout).toEqual(['from node function']);
      expect(exitCode).toBe(4);
    });

    it('splits stdout and stderr into lines, including a last line without a newline', async () => {
      const { stdout, stderr } = await run("printf 'one\\ntwo\\n\\nfour\\n'; printf 'warn 1\\nwarn 2' >&2; printf 'last'");
      expect(stdout).toEqual(['one', 'two', '', 'four', 'last']);
      expect(stderr).toEqual(['warn 1', 'warn 2']);
    });

    it('joins a line written in several pieces', async () => {
      const { stdout } = await run("printf 'hel'; sleep 0.05; printf 'lo\\nwor'; sleep 0.05; printf 'ld\\n'");
      expect(stdout).toEqual(['hello', 'world']);
    });

    it('keeps multi-byte characters intact across chunk boundaries', async () => {
      // 200,001 bytes in one line: it arrives in several chunks, some of them splitting an "é".
      const { stdout } = await run(`node -e "process.stdout.write('a' + 'é'.repeat(100000) + '\\\\n')"`);
      expect(stdout).toEqual([`a${'é'.repeat(100000)}`]);
    });

    it('passes the given environment, and nothing of the runner process', async () => {
      process.env.SLIPWAY_CONFORMANCE_LEAK = 'leaked';
      try {
        const quoted = `it's "quoted" — ünïcødé ✓ $HOME`;
        const { stdout } = await run('echo "$GREETING"; echo "$QUOTED"; echo "${SLIPWAY_CONFORMANCE_LEAK-no leak}"', { env: { GREETING: 'hello world', QUOTED: quoted } });
        expect(stdout).toEqual(['hello world', quoted, 'no leak']);
      } finally {
        delete process.env.SLIPWAY_CONFORMANCE_LEAK;
      }
    });

    it('runs in the given working directory, which is the host directory', async () => {
      const sub = join(workspace, 'sub dir');
      await mkdir(sub, { recursive: true });
      const { stdout } = await run('pwd; touch made-here', { cwd: sub });
      expect(stdout).toEqual([sub]);
      expect(existsSync(join(sub, 'made-here'))).toBe(true);
    });

    it('shares the workspace between the steps of a job, and with the host', async () => {
      expect((await run('echo "handed over" > handoff.txt')).exitCode).toBe(0);
      await writeFile(join(workspace, 'from-host.txt'), 'from the host\n');
      const { stdout } = await run('cat handoff.txt from-host.txt');
      expect(stdout).toEqual(['handed over', 'from the host']);
      expect(await readFile(join(workspace, 'handoff.txt'), 'utf8')).toBe('handed over\n');
    });

    it('runs scripts with spaces, quotes, unicode and several lines as written', async () => {
      const script = [
        `printf '%s\\n' "two  spaces" 'single "double" inside' "it's"`,
        'cat <<EOF',
        'héllo wörld ✓ 日本語',
        'EOF',
        "echo 'tab\there'",
      ].join('\n');
      const { stdout, exitCode } = await run(script);
      expect(exitCode).toBe(0);
      expect(stdout).toEqual(['two  spaces', 'single "double" inside', "it's", 'héllo wörld ✓ 日本語', 'tab\there']);
      const node = await run(`console.log("naïve 'quotes' \\u2713", \`tpl \${1 + 1}\`)`, { shell: 'node' });
      expect(node.stdout).toEqual(["naïve 'quotes' ✓ tpl 2"]);
    });

    it('reports a step that cannot start as failed', async () => {
      const { exitCode, stderr } = await run('echo hi', { cwd: join(workspace, 'does-not-exist') });
      expect(exitCode).not.toBe(0);
      expect(stderr.join('\n')).toContain('could not start the step');
    });

    it('kills the whole process tree on timeout, and the job goes on', async () => {
      const beat = heartbeat();
      const { exitCode, stdout, stderr, ms } = await run(beat.command, { timeoutMs: 600 });
      expect(exitCode).toBe(137);
      expect(stdout).toEqual(['started']);
      expect(stderr).toContainEqual(expect.stringMatching(/^step timed out after \d+s$/));
      expect(ms).toBeLessThan(5000);
      expect(size(beat.file)).toBeGreaterThan(0);
      await expectStopped(beat.file);
      expect((await run('echo still here')).stdout).toEqual(['still here']);
    });

    it('kills the whole process tree when the signal aborts', async () => {
      const beat = heartbeat();
      const controller = new AbortController();
      const result = run(beat.command, {}, controller.signal);
      await vi.waitFor(() => expect(size(beat.file)).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
      controller.abort();
      const { exitCode, stderr, ms } = await result;
      expect(exitCode).toBe(137);
      expect(stderr).toContain('step cancelled');
      expect(ms).toBeLessThan(8000);
      await expectStopped(beat.file);
    });

    it('does not run a step whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const { exitCode, stderr } = await run('sleep 0.3; touch should-not-exist', {}, controller.signal);
      expect(exitCode).not.toBe(0);
      expect(stderr).toContain('step cancelled');
      await sleep(400);
      expect(existsSync(join(workspace, 'should-not-exist'))).toBe(false);
    });

    it('disposes a job once, however often it is asked', async () => {
      const own = await newJob(kit!.executor);
      expect((await run('echo in its own job', { cwd: join(root, `workspace-${jobs}`) }, undefined, own)).stdout).toEqual(['in its own job']);
      await Promise.all([own.dispose(), own.dispose()]);
      await own.dispose();
    });
  });
}
