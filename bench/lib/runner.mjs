// Loads @slipway/runner and the executors for the workflow benchmarks, and runs a workflow the way
// tests/conformance/run-case.ts does. The packages are TypeScript sources: they are bundled once per bench run with
// esbuild, as scripts/build.mjs bundles the server, so the measured code is the same JavaScript the server runs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from './util.mjs';

const entry = `
export { parseWorkflow } from '@slipway/core';
export { runWorkflow } from '@slipway/runner';
export { createHostExecutor } from '@slipway/executor-host';
export { createDockerExecutor } from '@slipway/executor-docker';
`;

/**
 * Bundles `contents` (an entry module of re-exports, resolved from the repository root) as scripts/build.mjs bundles the
 * server, and imports the bundle. It is written under node_modules/.cache so that the packages left outside it
 * (dockerode and better-sqlite3, with native addons esbuild cannot bundle) resolve from the repository.
 */
export async function loadEntry(contents, name = 'entry') {
  const dir = join(repoRoot, 'node_modules', '.cache', 'slipway-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}-${process.pid}.mjs`);
  await build({
    stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg-native', 'dockerode'],
    banner: { js: "import { createRequire as __slwCreateRequire } from 'node:module'; const require = __slwCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** Bundles the runner and both executors and imports the bundle. */
export function loadRunner() {
  return loadEntry(entry, 'runner');
}

/** A GitHub Actions workflow text as an object, parsed and validated by Slipway's schema. */
export function parse(runner, yamlText, file = '.github/workflows/bench.yml') {
  const parsed = runner.parseWorkflow(yamlText, file);
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format()).join('\n'));
  return parsed.value;
}

let runs = 0;

/**
 * Runs a parsed workflow with `executor` under `work` (removed afterwards) and returns the result with the reporter's
 * timestamps (performance.now()) of each job and step start and finish. Stdout lines are counted, not kept.
 */
export async function runParsed(runner, workflow, executor, work, extra = {}) {
  const dir = mkdtempSync(join(work, 'run-'));
  // Unique per run and process: the Docker executor names the job's container and network after it.
  const runId = `bench${process.pid}r${++runs}`;
  const events = { jobs: new Map(), steps: [], logLines: 0 };
  const now = () => performance.now();
  const jobTimes = (key) => events.jobs.get(key) ?? (events.jobs.set(key, {}), events.jobs.get(key));
  const signal = new AbortController().signal;
  try {
    const result = await runner.runWorkflow({
      workflow,
      file: '.github/workflows/bench.yml',
      github: { repository: 'slipway/bench', sha: '0123456789abcdef0123456789abcdef01234567', ref: 'refs/heads/main', refName: 'main', runId, runNumber: runs, runAttempt: 1, actor: 'bench', eventName: 'push', event: { ref: 'refs/heads/main' }, serverUrl: 'http://127.0.0.1:7070' },
      vars: {},
      executor,
      workRoot: join(dir, 'jobs'),
      repoDir: dir,
      checkout: async () => {},
      secrets: async () => ({}),
      reporter: {
        jobStarted: (job) => (jobTimes(job.key).started = now()),
        jobFinished: (r) => (jobTimes(r.job.key).finished = now()),
        stepStarted: (_job, step) => events.steps.push({ index: step.index, started: now() }),
        stepFinished: (_job, step) => (events.steps.findLast((s) => s.index === step.index).finished = now()),
        log: (_job, _step, line) => line.stream === 'stdout' && events.logLines++,
      },
      signal,
      ...extra,
    });
    if (result.conclusion !== 'success') {
      const failed = result.jobs.filter((j) => j.conclusion !== 'success').map((j) => `${j.job.key}: ${j.error}`);
      throw new Error(`the workflow ended ${result.conclusion}: ${failed.join('; ')}`);
    }
    return { result, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bundles one TypeScript module of the repository (a test helper) and imports it, as loadRunner does. */
export async function loadModule(path) {
  const dir = join(repoRoot, 'node_modules', '.cache', 'slipway-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `module-${process.pid}.mjs`);
  await build({ entryPoints: [join(repoRoot, path)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** The `echo step N` commands of the step benchmarks, and a workflow of one job that runs them as `run:` steps. */
export const stepCommands = (n) => Array.from({ length: n }, (_, i) => `echo step ${i + 1}`);
export const stepsWorkflow = (name, n) => `name: ${name}
on: push
jobs:
  steps:
    runs-on: ubuntu-latest
    steps:
${stepCommands(n).map((c) => `      - run: ${c}`).join('\n')}
`;
