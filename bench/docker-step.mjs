#!/usr/bin/env node
// Benchmark: the Docker executor's overhead per step (target ≤ 150 ms). Side by side in the same rounds:
//   - Slipway: one job of 20 `run:` steps (`echo step N`) through @slipway/runner's runWorkflow with
//     @slipway/executor-docker (job container from slipway/runner:latest, on its own network). Per step: first
//     stepStarted → last stepFinished, divided by the steps, so the time between steps counts and the job
//     container's start and removal do not (they are reported apart).
//   - executor only: the same 20 commands through JobEnvironment.runStep of one job environment prepared once,
//     without the runner (script file, exec with the step's env, output demultiplexed, exit code read).
//   - baseline: `docker exec <container> sh -c 'echo step N'` with the docker CLI, 20 times, in a container of the
//     same image that stays running for the whole bench.
//   - Engine API exec: the same `sh -c` through the Engine API (dockerode: create exec, start attached, read the
//     stream to its end, inspect for the exit code), in the same container. This is the floor for any executor that
//     talks to the daemon without the CLI, so Slipway − API exec is the executor's and runner's own cost.
// Nothing is pulled: the image must be on the Docker host (scripts/build-base-image.sh).
//
//   node bench/docker-step.mjs [--rounds 10] [--steps 20]
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { interleave, ms, printTable, stats, timeSpawn } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadRunner, parse, runParsed, stepCommands, stepsWorkflow } from './lib/runner.mjs';
import { numberFlags, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ rounds: 10, steps: 20 });
if (opts.rounds < 1 || opts.steps < 1) throw new Error('--rounds and --steps need at least 1');
const targetMs = 150;
const image = 'slipway/runner:latest';
const root = tempRoot('docker-step');
const label = `dev.slipway.bench=${process.pid}`;
const began = performance.now();
const cleanups = [];

const commands = stepCommands;
const workflowYaml = (n) => stepsWorkflow('docker-step', n);

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

async function main() {
  try {
    docker('image', 'inspect', '--format', '{{.Id}}', image);
  } catch {
    throw new Error(`${image} is not on the Docker host: build it with scripts/build-base-image.sh (this bench never pulls)`);
  }
  const runner = await loadRunner();
  const executor = runner.createDockerExecutor({ defaultImage: image });
  const n = opts.steps;
  const wf = parse(runner, workflowYaml(n));

  // The baseline's container: the same image and keep-alive command as a job container, up for the whole bench.
  const container = docker('run', '-d', '--pull', 'never', '--label', label, '--entrypoint', 'sh', image, '-c', 'trap : TERM INT; sleep infinity & wait');
  cleanups.push(() => docker('rm', '-f', container));
  const api = new Docker().getContainer(container);

  // The executor-only variant's job environment, prepared once.
  const env = join(root, 'executor-only');
  mkdirSync(env, { recursive: true });
  const jobEnv = await executor.prepareJob({ id: `bench${process.pid}-executor-only`, workspace: join(env, 'workspace'), temp: join(env, 'temp') }, new AbortController().signal);
  cleanups.push(() => jobEnv.dispose());

  const variants = {
    slipway: async () => {
      const t0 = performance.now();
      const { events } = await runParsed(runner, wf, executor, root);
      const total = performance.now() - t0;
      if (events.logLines !== n) throw new Error(`Slipway printed ${events.logLines} lines, expected ${n}`);
      const first = events.steps[0].started;
      const last = events.steps.at(-1).finished;
      return { ms: (last - first) / n, total, setup: first - t0, teardown: total - (last - t0) };
    },
    'executor only': async () => {
      const t0 = performance.now();
      let lines = 0;
      for (const command of commands(n)) {
        const r = await jobEnv.runStep({ command: `${command}\n`, shell: 'bash -e {0}', cwd: join(env, 'workspace'), env: {}, timeoutMs: 60_000 }, (out) => out.stream === 'stdout' && lines++, new AbortController().signal);
        if (r.exitCode !== 0) throw new Error(`executor-only step exited with ${r.exitCode}`);
      }
      if (lines !== n) throw new Error(`the executor printed ${lines} lines, expected ${n}`);
      return { ms: (performance.now() - t0) / n };
    },
    'Engine API exec': async () => {
      const t0 = performance.now();
      for (const command of commands(n)) {
        const exec = await api.exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        let bytes = 0;
        await new Promise((resolve, reject) => {
          stream.on('data', (d) => (bytes += d.length));
          stream.on('end', resolve);
          stream.on('error', reject);
        });
        const info = await exec.inspect();
        // 8 bytes of frame header, then `step N\n`.
        if (info.ExitCode !== 0 || bytes !== 8 + command.length - 4) throw new Error(`API exec: exit ${info.ExitCode}, ${bytes} bytes`);
      }
      return { ms: (performance.now() - t0) / n };
    },
    'docker exec': async () => {
      const t0 = performance.now();
      for (const command of commands(n)) {
        const r = await timeSpawn(['docker', 'exec', container, 'sh', '-c', command]);
        if (r.stdout.trim() !== command.slice(5)) throw new Error(`docker exec printed ${JSON.stringify(r.stdout)}`);
      }
      return { ms: (performance.now() - t0) / n };
    },
  };
  console.log(`${n} steps a round; ${opts.rounds} rounds after one warm-up round; times below are per step`);
  const out = await interleave(variants, { rounds: opts.rounds });
  printTable('time per step:', Object.entries(out));
  const over = (a, b) => stats(out[a].map((x, i) => ({ ms: x.ms - out[b][i].ms })));
  const main = over('slipway', 'docker exec');
  console.log('\noverhead per step (median of per-round values, min–max):');
  console.log(`  Slipway − docker exec:        ${ms(main.median)} (${ms(main.min)} – ${ms(main.max)}); ratio of medians ${(stats(out.slipway).median / stats(out['docker exec']).median).toFixed(2)}`);
  const ex = over('executor only', 'docker exec');
  console.log(`  executor only − docker exec:  ${ms(ex.median)} (${ms(ex.min)} – ${ms(ex.max)})`);
  const viaApi = over('slipway', 'Engine API exec');
  console.log(`  Slipway − Engine API exec:    ${ms(viaApi.median)} (${ms(viaApi.min)} – ${ms(viaApi.max)})`);
  const exApi = over('executor only', 'Engine API exec');
  console.log(`  executor only − API exec:     ${ms(exApi.median)} (${ms(exApi.min)} – ${ms(exApi.max)})`);
  const s = out.slipway;
  console.log(`  Slipway's job, medians: ${ms(stats(s, (x) => x.total).median, 0)} in all; before the first step (network, job container) ${ms(stats(s, (x) => x.setup).median, 0)}; after the last (container and network removed) ${ms(stats(s, (x) => x.teardown).median, 0)}`);
  console.log(`  target ≤ ${targetMs} ms per step over docker exec: ${main.median <= targetMs ? 'met' : 'NOT met'}`);
}

/** Containers this bench made that are still there: its own (by label) and Slipway's job containers (by run id). */
function leftoverContainers() {
  const mine = docker('ps', '-aq', '--filter', `label=${label}`);
  const jobs = docker('ps', '-a', '--filter', 'label=dev.slipway.job', '--format', '{{.ID}} {{.Names}}')
    .split('\n')
    .filter((l) => l.includes(`slipway-bench${process.pid}`));
  return [...mine.split('\n').filter(Boolean), ...jobs];
}

await runBenchmark(main, {
  root,
  began,
  cleanup: async () => {
    for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch((err) => console.error(`cleanup: ${err.message}`));
    const left = leftoverContainers();
    console.log(`cleanup: containers left: ${left.length ? left.join('; ') : 'none'}`);
    return left.length === 0;
  },
  machineExtra: () => `; docker ${docker('version', '--format', '{{.Server.Version}}')}`,
});
