import type { Command } from 'commander';
import type { Project, Release, Run, SlipwayEvent, StatusReport } from '@slipway/core';
import { clientFrom, shortSha, withServer } from '../globals.js';
import { age, color, healthColor, printJson, printTable } from '../output.js';
import { describeGitHost, gitHostInput, setHostCommand, withGitHostOptions, type GitHostOpts } from './git-host.js';

type ServerOpts = { server: string; token?: string; json?: boolean };

/** Read commands: status, runs, releases, projects list. Each has --json. */
export function readCommands(program: Command): void {
  withServer(program.command('status').description('Which release runs where, with its health').option('--json', 'print JSON')).action(async (opts: ServerOpts) => {
    const status = await clientFrom(opts).get<StatusReport>('/api/status');
    if (opts.json) return printJson(status);
    for (const p of status.projects) {
      process.stdout.write(`${color.bold(p.project.name)}  ${color.grey(`head ${shortSha(p.project.lastCommitSha)}`)}\n`);
      for (const env of p.environments) {
        const rel = env.desiredRelease ? `v${env.desiredRelease.version} (${shortSha(env.desiredRelease.commitSha)})` : 'no release';
        process.stdout.write(`  ${color.bold(env.name)}  ${healthColor(env.health)}  ${healthColor(env.sync)}  desired ${rel}\n`);
        if (env.hold) process.stdout.write(`  ${color.yellow('hold:')} ${env.hold}\n`);
        for (const w of env.waiting) {
          const why = w.waitingOn.map((g) => g.detail).join('; ') || 'about to start';
          const hint = w.waitingOn.some((g) => g.gate === 'approvals') ? color.grey(` (slipway approve ${w.promotionId})`) : '';
          process.stdout.write(`  ${color.yellow('waiting:')} v${w.version} ${why}${hint}\n`);
        }
        printTable(
          ['  SERVICE', 'RELEASE', 'HEALTH', 'SYNC', 'URL', 'MESSAGE'],
          env.services.map((s) => [`  ${s.service}`, s.releaseVersion ? `v${s.releaseVersion}` : '-', healthColor(s.health), healthColor(s.sync), s.url ?? '-', (s.message ?? '').slice(0, 60)]),
        );
      }
    }
    if (status.projects.length === 0) process.stdout.write('No projects yet. Add one with `slipway projects add <git url or path>`.\n');
  });

  withServer(program.command('runs').description('List CI runs, newest first').option('--project <name>', 'only this project').option('--limit <n>', 'how many', '20').option('--json', 'print JSON')).action(
    async (opts: ServerOpts & { project?: string; limit: string }) => {
      const q = new URLSearchParams({ limit: opts.limit, ...(opts.project ? { projectId: opts.project } : {}) });
      const { items } = await clientFrom(opts).get<{ items: Run[] }>(`/api/runs?${q}`);
      if (opts.json) return printJson(items);
      printTable(
        ['#', 'WORKFLOW', 'COMMIT', 'STATUS', 'ATTEMPT', 'DURATION', 'CREATED', 'ID'],
        items.map((r) => [String(r.number), r.workflowName, shortSha(r.commitSha), healthColor(r.status), String(r.attempt), duration(r.startedAt, r.finishedAt), age(r.createdAt), color.grey(r.id)]),
      );
    },
  );

  withServer(program.command('releases').description('List releases, newest first').option('--limit <n>', 'how many', '20').option('--json', 'print JSON')).action(async (opts: ServerOpts & { limit: string }) => {
    const { items } = await clientFrom(opts).get<{ items: Release[] }>(`/api/releases?limit=${Number(opts.limit)}`);
    if (opts.json) return printJson(items);
    printTable(['VERSION', 'COMMIT', 'CHANGED', 'CREATED', 'ID'], items.map((r) => [`v${r.version}`, shortSha(r.commitSha), r.changedServices.join(', '), age(r.createdAt), color.grey(r.id)]));
  });

  const projects = program.command('projects').description('Manage the git repositories Slipway follows');
  withServer(projects.command('list').description('List projects').option('--json', 'print JSON')).action(async (opts: ServerOpts) => {
    const { items } = await clientFrom(opts).get<{ items: Project[] }>('/api/projects');
    if (opts.json) return printJson(items);
    printTable(
      ['NAME', 'REPOSITORY', 'BRANCH', 'CI BRANCHES', 'STATUSES TO', 'HEAD', 'ID'],
      items.map((p) => [p.name, p.repoUrl, p.branch, p.ciBranches.join(', ') || '-', p.gitHost ? `${p.gitHost.kind} ${p.gitHost.repository}` : '-', shortSha(p.lastCommitSha), color.grey(p.id)]),
    );
  });
  withServer(
    withGitHostOptions(projects
      .command('add')
      .description('Follow a git repository (https, ssh, or a local path)')
      .argument('<repo>', 'git URL or path')
      .option('--name <name>', 'project name (default: the repository name)')
      .option('--branch <branch>', 'branch to follow and release from', 'main')
      .option('--ci-branch <pattern>', 'also run CI on pushes to branches matching this glob, e.g. feature/* (repeatable; no releases)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--poll-interval <seconds>', 'how often to check for new commits', '15')
      .option('--json', 'print JSON')),
  ).action(async (repo: string, opts: ServerOpts & GitHostOpts & { name?: string; branch: string; ciBranch?: string[]; pollInterval: string }) => {
    const gitHost = gitHostInput(opts);
    const repoUrl = /^[a-z]+:\/\//.test(repo) || /^[^/]+@[^:]+:/.test(repo) ? repo : (await import('node:path')).resolve(repo);
    const project = await clientFrom(opts).post<Project>('/api/projects', { repoUrl, branch: opts.branch, ...(opts.ciBranch ? { ciBranches: opts.ciBranch } : {}), pollIntervalMs: Math.round(Number(opts.pollInterval) * 1000), ...(opts.name ? { name: opts.name } : {}), ...(gitHost ? { gitHost } : {}) });
    if (opts.json) return printJson(project);
    process.stdout.write(`${color.green('added')} ${project.name} (${project.id}); following ${project.branch}${project.ciBranches.length ? `, and CI on ${project.ciBranches.join(', ')}` : ''}. Watch it with \`slipway events -f\`.\n`);
    if (project.gitHost) process.stdout.write(`${describeGitHost(project)}. Set the token with \`slipway secrets set GIT_HOST_TOKEN --project ${project.name}\`.\n`);
  });
  setHostCommand(projects);

  withServer(program.command('events').description('The event log; -f follows new events live').option('-f, --follow', 'keep streaming new events').option('--limit <n>', 'how many past events', '30').option('--json', 'print JSON (one object per line with -f)')).action(
    async (opts: ServerOpts & { follow?: boolean; limit: string }) => {
      const client = clientFrom(opts);
      const { items } = await client.get<{ items: SlipwayEvent[] }>(`/api/events?newest=1&limit=${Number(opts.limit)}`);
      const print = (e: SlipwayEvent) => (opts.json ? process.stdout.write(`${JSON.stringify(e)}\n`) : process.stdout.write(formatEvent(e)));
      if (opts.json && !opts.follow) return printJson(items);
      items.forEach(print);
      if (!opts.follow) return;
      const last = items.at(-1)?.seq ?? 0;
      await client.stream(`/api/events?afterSeq=${last}`, (_event, data) => {
        print(JSON.parse(data) as SlipwayEvent);
      });
    },
  );
}

export function formatEvent(e: SlipwayEvent): string {
  const kind = e.kind.endsWith('failed') || e.kind.endsWith('rolled-back') || e.kind === 'config.invalid' || e.kind === 'source.error' ? color.red(e.kind) : e.kind.endsWith('succeeded') || e.kind === 'release.created' ? color.green(e.kind) : color.blue(e.kind);
  return `${color.grey(new Date(e.ts).toLocaleTimeString())} ${kind.padEnd(30)} ${e.message}\n`;
}

function duration(start: string | null, end: string | null): string {
  if (!start) return '-';
  const ms = (end ? Date.parse(end) : Date.now()) - Date.parse(start);
  return `${(ms / 1000).toFixed(1)}s`;
}
