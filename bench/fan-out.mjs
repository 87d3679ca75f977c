#!/usr/bin/env node
// Benchmark: what a `needs` edge costs the runner (target ≤ 50 ms per edge). A 20-job fan-out and fan-in on the host
// executor (`root` → 18 `mid-N` jobs that need it → `final` needing all 18: 36 edges), each job one `echo` step, run
// through @slipway/runner's runWorkflow, side by side in the same rounds with the same 20 jobs without `needs`:
//   - phased: three runWorkflow calls in a row (root; the 18 middle jobs; final) at the same parallelism limit. This
//     has the DAG's shape (the same waves of jobs, the same idle slots) with the ordering done by the caller, so
//     (DAG − phased) / 36 is what the edges themselves cost: resolving needs, waking the dependents, the needs context.
//   - serial: both at maxParallelJobs 1, where no job ever waits for a slot or for another job to finish, so the
//     graph's shape cannot change the wall time: (DAG − flat) / 36 at limit 1 is a second, independent estimate.
//   - flat at the same limit, for context only: it keeps every slot busy, which the DAG cannot.
// The DAG's dispatch latencies (a needed job finished → its first dependent started) come from the reporter.
//
//   node bench/fan-out.mjs [--rounds 20] [--parallel 4]
import { performance } from 'node:perf_hooks';
import { interleave, ms, printTable, stats } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadRunner, parse, runParsed } from './lib/runner.mjs';
import { numberFlags, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ rounds: 20, parallel: 4 });
if (opts.rounds < 1 || opts.parallel < 1) throw new Error('--rounds and --parallel need at least 1');
const targetMs = 50;
const middle = Array.from({ length: 18 }, (_, i) => `mid-${i + 1}`);
const edges = middle.length * 2;
const root = tempRoot('fan-out');
const began = performance.now();

const job = (id, needs) => `  ${id}:
    runs-on: ubuntu-latest
${needs.length ? `    needs: [${needs.join(', ')}]\n` : ''}    steps:
      - run: echo job ${id}
`;
const workflowYaml = (jobs) => `name: fan-out
on: push
jobs:
${jobs.map(([id, needs]) => job(id, needs)).join('')}`;

async function main() {
  const runner = await loadRunner();
  const executor = runner.createHostExecutor();
  const dag = parse(runner, workflowYaml([['root', []], ...middle.map((m) => [m, ['root']]), ['final', middle]]));
  const phases = [[['root', []]], middle.map((m) => [m, []]), [['final', []]]].map((jobs) => parse(runner, workflowYaml(jobs)));
  const flat = parse(runner, workflowYaml([['root', []], ...middle.map((m) => [m, []]), ['final', []]]));

  const run = async (workflows, parallel) => {
    const t0 = performance.now();
    const runs = [];
    for (const wf of workflows) runs.push(await runParsed(runner, wf, executor, root, { maxParallelJobs: parallel }));
    const total = performance.now() - t0;
    const jobs = runs.flatMap((r) => r.result.jobs);
    if (jobs.length !== 20 || jobs.some((j) => j.conclusion !== 'success')) throw new Error(`expected 20 successful jobs, got ${jobs.map((j) => `${j.job.key} ${j.conclusion}`).join(', ')}`);
    const times = new Map(runs.flatMap((r) => [...r.events.jobs]));
    const mids = middle.map((m) => times.get(m));
    return {
      ms: total,
      // A needed job finished → its first dependent started; and the fan-in's, from the last middle job.
      fanOutLatency: Math.min(...mids.map((t) => t.started)) - times.get('root').finished,
      fanInLatency: times.get('final').started - Math.max(...mids.map((t) => t.finished)),
      jobMs: stats([...times.values()].map((t) => ({ ms: t.finished - t.started }))).median,
    };
  };
  const p = opts.parallel;
  const variants = {
    [`DAG, limit ${p}`]: () => run([dag], p),
    [`phased, limit ${p}`]: () => run(phases, p),
    [`flat, limit ${p}`]: () => run([flat], p),
    'DAG, limit 1': () => run([dag], 1),
    'flat, limit 1': () => run([flat], 1),
  };
  console.log(`20 jobs, ${edges} edges; ${opts.rounds} rounds after one warm-up round`);
  const out = await interleave(variants, { rounds: opts.rounds });
  printTable('wall time of one run of the 20 jobs:', Object.entries(out));
  const perEdge = (a, b) => stats(out[a].map((x, i) => ({ ms: (x.ms - out[b][i].ms) / edges })));
  const main = perEdge(`DAG, limit ${p}`, `phased, limit ${p}`);
  const serial = perEdge('DAG, limit 1', 'flat, limit 1');
  console.log(`\nadded time per dependency edge (median of per-round values, min–max):`);
  console.log(`  (DAG − phased) / ${edges} at limit ${p}: ${ms(main.median, 2)} (${ms(main.min, 2)} – ${ms(main.max, 2)})`);
  console.log(`  (DAG − flat) / ${edges} at limit 1: ${ms(serial.median, 2)} (${ms(serial.min, 2)} – ${ms(serial.max, 2)})`);
  const context = perEdge(`DAG, limit ${p}`, `flat, limit ${p}`);
  console.log(`  for context, (DAG − flat) / ${edges} at limit ${p}, which includes the slots the DAG must leave idle: ${ms(context.median, 2)}`);
  const d = out[`DAG, limit ${p}`];
  console.log(`  DAG at limit ${p}, medians: root finished → first middle job started ${ms(stats(d, (x) => x.fanOutLatency).median, 2)}; last middle job finished → final started ${ms(stats(d, (x) => x.fanInLatency).median, 2)}; one job (jobStarted → jobFinished) ${ms(stats(d, (x) => x.jobMs).median)}`);
  console.log(`  target ≤ ${targetMs} ms per edge: ${Math.max(main.median, serial.median) <= targetMs ? 'met' : 'NOT met'}`);
}

await runBenchmark(main, { root, began });
