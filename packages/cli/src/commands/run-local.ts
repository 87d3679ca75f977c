import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseWorkflow, SlipwayError, workflowDirs, type ExpressionValue } from '@slipway/core';
import { runWorkflow } from '@slipway/runner';
import { defaultDataDir } from '../globals.js';
import { copyWorkingTree } from '../local-run/checkout.js';
import { checkDispatchInputs } from '../local-run/dispatch-inputs.js';
import { parseDotenv } from '../local-run/dotenv.js';
import { localExecutors, type ExecutorMode } from '../local-run/executors.js';
import { findRepoRoot, readRepoFacts, workingTreeFiles } from '../local-run/git-facts.js';
import { githubRunFor } from '../local-run/github-context.js';
import { parseAssignments } from '../local-run/key-values.js';
import { createProgressRenderer } from '../local-run/progress.js';
import { rerunCommand, type RerunFlags } from '../local-run/rerun-command.js';
import { createRunRecorder } from '../local-run/run-record.js';
import { findWorkflowByName, selectWorkflows, type LoadedWorkflow } from '../local-run/select-workflows.js';
import { openLocalStorage } from '../local-run/storage.js';
import { summaryJson, summaryLines, type WorkflowOutcome } from '../local-run/summary.js';
import { color, printJson } from '../output.js';
import { listWorkflowFiles, readProjectConfig, type WorkflowFile } from '../workflow-files.js';

interface RunOpts {
  job?: string;
  event?: string;
  input?: string[];
  var?: string[];
  secret?: string[];
  secretFile?: string[];
  executor: ExecutorMode;
  actionCache?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Repeatable options start undefined, so that the reference shows no empty default. */
const collect = (v: string, all: string[] | undefined) => [...(all ?? []), v];

/** `slipway run [workflow]`: runs CI workflows from the working tree on this machine, with no server, as act does. */
export function runLocalCommand(program: Command): void {
  program
    .command('run')
    .description('Run CI workflows from the working tree on this machine, with no server: live progress, a summary, and on failure the failing step\'s last lines and the command that re-runs only that job. Exits 1 when a job failed, 2 when a workflow is invalid.')
    .argument('[workflow]', 'a workflow file, or its name (ci, ci.yml, or its name: field); default: every workflow that runs on the event')
    .option('-j, --job <id>', 'run only this job (the jobs it needs are treated as succeeded, with no outputs)')
    .option('--event <name>', 'the event: workflows whose on: includes it run (default push; workflow_dispatch when --input is given)')
    .option('--input <name=value>', 'a workflow_dispatch input (repeatable)', collect)
    .option('--var <name=value>', 'a configuration variable, the vars context (repeatable)', collect)
    .option('--secret-file <file>', 'secrets in dotenv format: NAME=value lines, quotes and # comments (repeatable)', collect)
    .option('--secret <NAME[=value]>', 'a secret; without =value it is read from the environment variable NAME (repeatable)', collect)
    .option('--executor <executor>', 'auto: steps on this machine, jobs with container: or services: in Docker; host or docker: every job there', 'auto')
    .option('--action-cache <dir>', 'where remote actions are found: <dir>/<owner>/<repo>/<ref>/action.yml (default <data dir>/actions)')
    .option('-q, --quiet', 'show job and step progress only, not the output of steps')
    .option('--json', 'print one JSON document with the result, and nothing else on stdout')
    .action(async (workflowArg: string | undefined, given: RunOpts) => {
      const opts = { ...given, input: given.input ?? [], var: given.var ?? [], secret: given.secret ?? [], secretFile: given.secretFile ?? [] };
      process.exitCode = await runLocal(workflowArg, opts);
    });
}

async function runLocal(workflowArg: string | undefined, opts: Required<Pick<RunOpts, 'input' | 'var' | 'secret' | 'secretFile'>> & RunOpts): Promise<number> {
  if (!['auto', 'host', 'docker'].includes(opts.executor)) throw new SlipwayError('SLW_USAGE', `--executor must be auto, host or docker, not "${opts.executor}"`);
  const cwd = process.cwd();
  const root = findRepoRoot(cwd);
  const out = (text: string) => (opts.json ? process.stderr : process.stdout).write(text);

  // Everything that can be wrong with the request is checked before anything runs.
  const loaded = loadWorkflows(root, cwd, workflowArg);
  if ('errors' in loaded) {
    if (opts.json) printJson({ valid: false, errors: loaded.errors.map((e) => ({ ...e.toJSON(), formatted: e.format() })) });
    else for (const e of loaded.errors) process.stderr.write(`${e.format()}\n  ${color.grey('hint:')} ${e.hint}\n`);
    return 2;
  }
  const given = parseAssignments(opts.input, '--input');
  const { event, workflows } = selectWorkflows(loaded.all, { ...(loaded.explicit ? { explicit: loaded.explicit } : {}), ...(opts.event ? { event: opts.event } : {}), wantsInputs: opts.input.length > 0, ...(opts.job ? { job: opts.job } : {}) });
  if (event !== 'workflow_dispatch' && opts.input.length > 0) throw new SlipwayError('SLW_USAGE', `--input applies to workflow_dispatch runs, and this run is for ${event}`, { hint: 'Add --event workflow_dispatch, or leave out --input.' });
  const inputsOf = new Map<LoadedWorkflow, Record<string, ExpressionValue>>(workflows.map((w) => [w, event === 'workflow_dispatch' ? checkDispatchInputs(w.workflow.on.workflow_dispatch?.inputs, given, w.file.shown) : {}]));
  const secrets: Record<string, string> = {};
  for (const f of opts.secretFile) {
    if (!existsSync(f)) throw new SlipwayError('SLW_USAGE', `secret file ${f} does not exist`, { hint: 'Pass the path of a dotenv file: NAME=value per line.' });
    Object.assign(secrets, parseDotenv(readFileSync(f, 'utf8'), f));
  }
  Object.assign(secrets, parseAssignments(opts.secret, '--secret', { allowBare: true, env: process.env }));
  const vars = parseAssignments(opts.var, '--var');
  const flags: RerunFlags = {
    ...(opts.event ? { event: opts.event } : {}),
    inputs: opts.input,
    vars: opts.var,
    secretFiles: opts.secretFile,
    secretNames: opts.secret.map((s) => s.split('=')[0]!),
    ...(opts.executor !== 'auto' ? { executor: opts.executor } : {}),
    ...(opts.actionCache ? { actionCache: opts.actionCache } : {}),
  };
  const rerun = (file: WorkflowFile, job: string) => rerunCommand(file.shown, job, flags);

  const facts = readRepoFacts(root);
  const storage = await openLocalStorage(root);
  if (storage.warning) process.stderr.write(`${color.yellow('warning')} ${storage.warning}\n`);
  const workRoot = mkdtempSync(join(tmpdir(), 'slipway-run-'));
  const { executor, executorForJob, cleanupOrphans } = localExecutors(opts.executor);
  // What an earlier run killed with SIGKILL left in Docker; only objects of dead processes are touched.
  const cleaned = cleanupOrphans?.().catch(() => 0);
  const abort = new AbortController();
  const onInterrupt = () => {
    // A second Ctrl-C stops at once; the first lets the runner cancel the jobs and remove their containers.
    process.once('SIGINT', () => process.exit(130));
    abort.abort();
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  let files: string[] | null | undefined;
  const live = !opts.json && process.stdout.isTTY === true && !process.env.CI;
  const started = Date.now();
  const outcomes: WorkflowOutcome[] = [];
  try {
    for (const w of workflows) {
      const name = typeof w.workflow.name === 'string' ? w.workflow.name : w.file.rel;
      out(`${color.bold(`▶ ${name}`)} ${color.grey(`(${w.file.shown}, ${event}${opts.job ? `, job ${opts.job}` : ''})`)}\n`);
      const renderer = createProgressRenderer({ write: out, live, quiet: opts.quiet === true || opts.json === true, paint: color, columns: () => process.stdout.columns || 80 });
      const recorder = createRunRecorder((e) => renderer.onEvent(e));
      const { runId, storage: ci } = await storage.startRun({ file: w.file.rel, name, sha: facts.sha, branch: facts.branch ?? 'HEAD' });
      const t = Date.now();
      const cron = (w.workflow.on.schedule as { cron: string }[] | undefined)?.[0]?.cron;
      const result = await runWorkflow({
        workflow: w.workflow,
        file: w.file.rel,
        github: githubRunFor(facts, event, inputsOf.get(w)!, runId, cron),
        inputs: inputsOf.get(w)!,
        vars,
        executor,
        ...(executorForJob ? { executorForJob } : {}),
        workRoot,
        repoDir: root,
        // As the server does (docs/adr/008): Slipway-native workflows run without a checkout step.
        seedWorkspace: true,
        checkout: async (dest) => copyWorkingTree(root, dest, files === undefined ? (files = workingTreeFiles(root)) : files),
        secrets: async (names) => Object.fromEntries(names.filter((n) => secrets[n] !== undefined).map((n) => [n, secrets[n]!])),
        ...(ci ? { storage: ci } : {}),
        actionCacheDir: resolve(opts.actionCache ?? join(defaultDataDir(), 'actions')),
        ...(opts.job ? { onlyJobs: [opts.job] } : {}),
        reporter: recorder.reporter,
        signal: abort.signal,
      });
      renderer.stop();
      outcomes.push({ file: w.file, name, event, conclusion: result.conclusion, durationMs: Date.now() - t, jobs: recorder.jobs() });
      if (abort.signal.aborted) break;
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
    await cleaned;
    rmSync(workRoot, { recursive: true, force: true });
    await storage.close();
  }
  const total = Date.now() - started;
  if (opts.json) printJson(summaryJson(outcomes, total, rerun));
  else out(`${summaryLines(outcomes, total, rerun, color).join('\n')}\n`);
  if (abort.signal.aborted) return 130;
  return outcomes.every((o) => o.conclusion === 'success') ? 0 : 1;
}

/**
 * The workflows a run chooses from: a named file (any path), else those of the repository (.slipway/workflows, and
 * .github/workflows when slipway.yaml asks for it or when there is no slipway.yaml). Every parse error is returned.
 */
function loadWorkflows(root: string, cwd: string, arg: string | undefined): { all: LoadedWorkflow[]; explicit?: LoadedWorkflow } | { errors: SlipwayError[] } {
  const parse = (file: WorkflowFile) => ({ file, parsed: parseWorkflow(readFileSync(file.abs, 'utf8'), file.shown) });
  if (arg !== undefined && existsSync(resolve(cwd, arg)) && statSync(resolve(cwd, arg)).isFile()) {
    const abs = resolve(cwd, arg);
    const { parsed } = parse({ abs, rel: relative(root, abs).split('\\').join('/'), shown: relative(cwd, abs) || abs });
    if (!parsed.value || parsed.errors.length > 0) return { errors: [...parsed.errors] };
    const explicit = { file: { abs, rel: relative(root, abs).split('\\').join('/'), shown: relative(cwd, abs) || abs }, workflow: parsed.value };
    return { all: [explicit], explicit };
  }
  const project = readProjectConfig(root, cwd);
  if (project && project.errors.length > 0) return { errors: project.errors };
  const dirs = project ? workflowDirs(project.config?.workflows.githubDir ?? false) : workflowDirs(true);
  const files = listWorkflowFiles(root, dirs, cwd);
  // A named workflow is looked up by file name first, so that another broken workflow does not stop it.
  const byFile = arg === undefined ? undefined : files.find((f) => [f.rel.split('/').pop(), f.rel.split('/').pop()!.replace(/\.ya?ml$/, '')].includes(arg));
  const results = (byFile ? [byFile] : files).map(parse);
  const errors = results.flatMap((r) => r.parsed.errors);
  if (errors.length > 0) return { errors };
  const all = results.map((r) => ({ file: r.file, workflow: r.parsed.value! }));
  return arg === undefined ? { all } : { all, explicit: findWorkflowByName(arg, all) };
}
