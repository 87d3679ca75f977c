#!/usr/bin/env node
// Benchmark: the runner's overhead per step (target ≤ 10 ms). One job of 100 trivial `run:` steps (`echo step N`) on
// the host executor, through @slipway/runner's runWorkflow, side by side in the same rounds with:
//   - one bash script running the same 100 commands (the issue's baseline: overhead per step = (Slipway − script)/100),
//   - a bash script that starts one `bash -e <file>` per command, as the runner starts one process per step,
//   - a Node loop spawning the same `bash -e <file>` per command (what any Node runner pays for spawn alone),
//   - act (nektos/act, -P ubuntu-latest=-self-hosted) on the same workflow file, when bench/.tools/bin/act is built
//     (bash bench/tools/build-act.sh); --act 0 leaves it out.
// Slipway and act also run a 1-step workflow each round, so that the fixed cost of a run can be told from the
// marginal cost of a step.
//
//   node bench/workflow-steps.mjs [--rounds 10] [--steps 100] [--act 1]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { interleave, ms, printTable, stats, timeSpawn } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadRunner, parse, runParsed, stepCommands, stepsWorkflow } from './lib/runner.mjs';
import { git, numberFlags, repoRoot, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ rounds: 10, steps: 100, act: 1 });
if (opts.rounds < 1 || opts.steps < 2) throw new Error('--rounds needs at least 1 and --steps at least 2');
const targetMs = 10;
const root = tempRoot('workflow-steps');
const actBin = join(repoRoot, 'bench', '.tools', 'bin', 'act');
const useAct = opts.act !== 0 && existsSync(actBin);
const began = performance.now();

const commands = stepCommands;
const workflowYaml = (n) => stepsWorkflow('bench', n);

/** The bash baselines: one script with the commands, and one that starts a bash per command from its own file. */
function writeBaselines(dir, n) {
  mkdirSync(join(dir, 'steps'), { recursive: true });
  writeFileSync(join(dir, 'script.sh'), `${commands(n).join('\n')}\n`);
  const files = commands(n).map((c, i) => {
    const file = join(dir, 'steps', `step-${i + 1}.sh`);
    writeFileSync(file, `${c}\n`);
    return file;
  });
  // The runner's default shell for a run step is `bash -e {0}`; the per-command baseline uses the same command line.
  writeFileSync(join(dir, 'per-command.sh'), `${files.map((f) => `bash -e ${f}`).join('\n')}\n`);
  return files;
}

/** A git repository with the workflow under .github/workflows, for act. */
async function makeActRepo(dir, n) {
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'steps.yml'), workflowYaml(n));
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'bench');
}

const countSteps = (stdout) => stdout.split('\n').filter((l) => /(^|\| )step \d+$/.test(l.trim())).length;

function expectLines(what, got, want) {
  if (got !== want) throw new Error(`${what} printed ${got} step lines, expected ${want}`);
}

async function main() {
  const runner = await loadRunner();
  const executor = runner.createHostExecutor();
  const n = opts.steps;
  const wf = { many: parse(runner, workflowYaml(n)), one: parse(runner, workflowYaml(1)) };
  const base = join(root, 'baseline');
  const stepFiles = writeBaselines(base, n);

  const slipway = (workflow, want) => async () => {
    const t0 = performance.now();
    const { events } = await runParsed(runner, workflow, executor, root);
    const total = performance.now() - t0;
    expectLines('Slipway', events.logLines, want);
    // Time inside steps (stepStarted → stepFinished) against time between them, for where the overhead goes.
    const inSteps = events.steps.reduce((a, s) => a + (s.finished - s.started), 0);
    return { ms: total, inSteps, firstStep: events.steps[0].started - t0, afterLast: total - (events.steps.at(-1).finished - t0) };
  };
  const variants = {
    slipway: slipway(wf.many, n),
    'slipway 1 step': slipway(wf.one, 1),
    'bash script': async () => {
      const r = await timeSpawn(['bash', join(base, 'script.sh')], { cwd: base });
      expectLines('the bash script', countSteps(r.stdout), n);
      return r;
    },
    'bash per command': async () => {
      const r = await timeSpawn(['bash', join(base, 'per-command.sh')], { cwd: base });
      expectLines('the per-command script', countSteps(r.stdout), n);
      return r;
    },
    'node spawn loop': async () => {
      const t0 = performance.now();
      let lines = 0;
      for (const file of stepFiles) lines += countSteps((await timeSpawn(['bash', '-e', file], { cwd: base, detached: true })).stdout);
      expectLines('the node spawn loop', lines, n);
      return { ms: performance.now() - t0 };
    },
  };
  if (useAct) {
    const actEnv = { ...process.env, XDG_CACHE_HOME: join(root, 'act-cache'), XDG_CONFIG_HOME: join(root, 'act-config') };
    for (const [name, steps] of [['act', n], ['act 1 step', 1]]) {
      const repo = join(root, `act-repo-${steps}`);
      await makeActRepo(repo, steps);
      variants[name] = async () => {
        const r = await timeSpawn([actBin, 'push', '-W', '.github/workflows/steps.yml', '-P', 'ubuntu-latest=-self-hosted', '--pull=false'], { cwd: repo, env: actEnv });
        expectLines(name, countSteps(r.stdout), steps);
        return r;
      };
    }
  }
  console.log(`${n} steps; ${opts.rounds} rounds after one warm-up round; variants: ${Object.keys(variants).join(', ')}${useAct ? '' : ' (act: not built or --act 0)'}`);
  const out = await interleave(variants, { rounds: opts.rounds });
  report(out, n);
}

function report(out, n) {
  printTable(`wall time of one run of ${n} steps (1 step where named):`, Object.entries(out));
  const m = (name) => stats(out[name]).median;
  const perRound = (a, b, div) => stats(out[a].map((x, i) => ({ ms: (x.ms - out[b][i].ms) / div })));
  console.log('\nSlipway overhead per step:');
  const main = perRound('slipway', 'bash script', n);
  console.log(`  (Slipway − bash script) / ${n}:       median ${ms(main.median, 2)} of per-round values (${ms(main.min, 2)}–${ms(main.max, 2)}); from medians ${ms((m('slipway') - m('bash script')) / n, 2)}`);
  const perCmd = perRound('slipway', 'bash per command', n);
  console.log(`  (Slipway − bash per command) / ${n}:  median ${ms(perCmd.median, 2)} (${ms(perCmd.min, 2)}–${ms(perCmd.max, 2)})`);
  const perSpawn = perRound('slipway', 'node spawn loop', n);
  console.log(`  (Slipway − node spawn loop) / ${n}:   median ${ms(perSpawn.median, 2)} (${ms(perSpawn.min, 2)}–${ms(perSpawn.max, 2)})`);
  const marginal = perRound('slipway', 'slipway 1 step', n - 1);
  console.log(`  marginal step, (Slipway ${n} − Slipway 1) / ${n - 1}: median ${ms(marginal.median, 2)}; a bash per command costs ${ms(m('bash per command') / n, 2)}, a node spawn ${ms(m('node spawn loop') / n, 2)}`);
  const s = out.slipway;
  console.log(`  inside Slipway's ${n}-step run (medians): steps (stepStarted → stepFinished) ${ms(stats(s, (x) => x.inSteps).median)}, between and around them ${ms(stats(s, (x) => x.ms - x.inSteps).median)}, of which before the first step ${ms(stats(s, (x) => x.firstStep).median)} and after the last ${ms(stats(s, (x) => x.afterLast).median)}`);
  console.log(`  target ≤ ${targetMs} ms per step over the bash script: ${main.median <= targetMs ? 'met' : 'NOT met'}`);
  if (out.act) {
    const ratio = stats(out.act.map((x, i) => ({ ms: x.ms / out.slipway[i].ms })));
    console.log(`\nact / Slipway, ${n} steps: ${(m('act') / m('slipway')).toFixed(2)} from medians, ${ratio.median.toFixed(2)} median of per-round ratios (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`);
    const actMarginal = perRound('act', 'act 1 step', n - 1);
    console.log(`  marginal step: act ${ms(actMarginal.median, 2)}, Slipway ${ms(marginal.median, 2)}; fixed cost of a 1-step run: act ${ms(m('act 1 step'))}, Slipway ${ms(m('slipway 1 step'))}`);
  }
}

await runBenchmark(main, { root, began });
