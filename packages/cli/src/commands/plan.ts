import type { Command } from 'commander';
import { SlipwayError, type PlanPreview } from '@slipway/core';
import { clientFrom, onlyProject, shortSha, withServer } from '../globals.js';
import { color, printJson } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean; branch?: string; pr?: string; project?: string };

/** `slipway plan --branch b | --pr n`: what merging would rebuild, and the diff of each environment's desired state. */
export function planCommand(program: Command): void {
  withServer(
    program
      .command('plan')
      .description("What merging a branch or a pull request would rebuild, and the diff of each environment's desired state")
      .option('--branch <branch>', 'a branch of the repository')
      .option('--pr <number>', 'a pull (merge) request number')
      .option('--project <name>', 'the project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (opts: Opts) => {
    if ((opts.branch === undefined) === (opts.pr === undefined)) throw new SlipwayError('SLW_USAGE', 'give exactly one of --branch and --pr', { hint: 'For example: slipway plan --branch feature' });
    const client = clientFrom(opts);
    const project = opts.project ?? (await onlyProject(client));
    const query = opts.branch !== undefined ? `branch=${encodeURIComponent(opts.branch)}` : `pr=${encodeURIComponent(opts.pr!)}`;
    const plan = await client.get<PlanPreview>(`/api/projects/${encodeURIComponent(project)}/plan?${query}`);
    if (opts.json) return printJson(plan);
    process.stdout.write(formatPlan(plan));
    if (plan.errors.length > 0) process.exitCode = 2;
  });
}

/** The plan as text: services (rebuilt or not, and why), then each environment's changes as a diff. */
export function formatPlan(plan: PlanPreview): string {
  const out = [`${color.bold(`Plan: ${plan.head.ref} (${shortSha(plan.head.sha)}) → ${plan.base.ref} (${shortSha(plan.base.sha)})`)}  ${color.grey(`${plan.changedFiles.length} files changed`)}`];
  if (plan.errors.length > 0) return `${[...out, ...plan.errors.map((e) => color.red(e))].join('\n')}\n`;
  out.push('', color.bold('Services'));
  for (const s of plan.services) out.push(`  ${s.rebuild ? color.yellow('rebuild') : color.grey('keep   ')} ${s.service}  ${color.grey(s.reason)}`);
  for (const env of plan.environments) {
    out.push('', `${color.bold(env.environment)} ${color.grey(`(now ${env.currentRelease === null ? 'no release' : `v${env.currentRelease}`})`)}${env.services.length === 0 ? '  no change' : ''}`);
    for (const svc of env.services) {
      out.push(`  ${svc.change === 'added' ? color.green('+') : svc.change === 'removed' ? color.red('-') : color.yellow('~')} ${svc.service}`);
      for (const f of svc.fields) {
        if (f.from !== null) out.push(color.red(`      - ${f.field}: ${f.from}`));
        if (f.to !== null) out.push(color.green(`      + ${f.field}: ${f.to}`));
      }
    }
  }
  if (plan.workflows.length > 0) {
    out.push('', color.bold('Workflows on the pull request'));
    for (const w of plan.workflows) out.push(`  ${w.triggered ? color.green('run ') : color.grey('skip')} ${w.workflow}  ${color.grey(w.reason)}`);
  }
  return `${out.join('\n')}\n`;
}
