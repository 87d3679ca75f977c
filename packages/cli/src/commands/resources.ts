import type { Command } from 'commander';
import type { EnvironmentResources, ResourceNode } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, healthColor, printJson } from '../output.js';
import { findEnvironment } from './deploy.js';

/** `slipway resources <env>`: each service's objects on the environment's target, with health and drift. */
export function resourcesCommand(program: Command): void {
  withServer(
    program
      .command('resources')
      .description("Show the tree of an environment's objects on its target (Kubernetes), per service, with the health and drift of each")
      .argument('<env>', 'environment name')
      .option('--project <name>', 'project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (envName: string, opts: { server: string; token?: string; project?: string; json?: boolean }) => {
    const client = clientFrom(opts);
    const env = await findEnvironment(client, { ...opts, env: envName });
    const report = await client.get<EnvironmentResources>(`/api/environments/${env.id}/resources`);
    if (opts.json) return printJson(report);
    process.stdout.write(resourceTreeLines(report).map((line) => `${line}\n`).join(''));
  });
}

/** The tree as text: a service per line, its objects indented under it, a Deployment's pods under it, drift below an object. */
export function resourceTreeLines(report: EnvironmentResources): string[] {
  const lines = [`${color.bold(report.environment)} ${color.grey(`(${report.target})`)}`];
  if (!report.supported) return [...lines, color.grey(`The ${report.target} target has no objects to list; see \`slipway status\` for the services.`)];
  if (report.services.length === 0) return [...lines, color.grey('No services here yet.')];
  const node = (n: ResourceNode, depth: number): string[] => {
    const pad = '  '.repeat(depth);
    const message = n.message ? `  ${color.grey(n.message)}` : '';
    return [
      `${pad}${n.kind}/${n.name}  ${healthColor(n.health)}${message}`,
      ...n.drift.map((d) => `${pad}  ${color.yellow(`drift: ${d}`)}`),
      ...n.children.flatMap((c) => node(c, depth + 1)),
    ];
  };
  for (const s of report.services) {
    lines.push(color.bold(s.service));
    lines.push(...(s.resources.length ? s.resources.flatMap((r) => node(r, 1)) : [`  ${color.grey('(no objects)')}`]));
  }
  return lines;
}
