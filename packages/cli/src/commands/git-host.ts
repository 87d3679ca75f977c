import type { Command } from 'commander';
import { gitHostKinds, SlipwayError, type GitHostInput, type GitHostKind, type Project } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson } from '../output.js';

export interface GitHostOpts {
  host?: string;
  hostApi?: string;
  hostRepo?: string;
}

type ServerOpts = { server: string; token?: string };

/** --host, --host-api and --host-repo, shared by `projects add` and `projects set-host`. */
export function withGitHostOptions(cmd: Command): Command {
  return cmd
    .option('--host <kind>', `post commit statuses and plan comments to this git host: ${gitHostKinds.join(', ')} (token: the project secret GIT_HOST_TOKEN)`)
    .option('--host-api <url>', 'the host API base URL (default: https://api.github.com for github.com, https://gitlab.com/api/v4 for gitlab.com)')
    .option('--host-repo <path>', 'the repository on the host: owner/repo, or a GitLab project path or id (default: from the repository URL)');
}

/** The API's gitHost input from the options; undefined without --host. */
export function gitHostInput(opts: GitHostOpts): GitHostInput | undefined {
  if (!opts.host) {
    if (opts.hostApi || opts.hostRepo) throw new SlipwayError('SLW_USAGE', '--host-api and --host-repo need --host', { hint: `Add --host ${gitHostKinds.join('|')}.` });
    return undefined;
  }
  if (!gitHostKinds.includes(opts.host as GitHostKind)) throw new SlipwayError('SLW_USAGE', `unknown git host "${opts.host}"`, { hint: `Use one of ${gitHostKinds.join(', ')} (gitea also covers Forgejo).` });
  return { kind: opts.host as GitHostKind, ...(opts.hostApi ? { apiUrl: opts.hostApi } : {}), ...(opts.hostRepo ? { repository: opts.hostRepo } : {}) };
}

/** One line saying where a project's statuses go, for the CLI's confirmations. */
export function describeGitHost(p: Project): string {
  return p.gitHost ? `commit statuses go to ${p.gitHost.kind} ${p.gitHost.repository} (${p.gitHost.apiUrl}); token: project secret GIT_HOST_TOKEN` : 'no commit statuses are posted';
}

/** `slipway projects set-host <project> --host … | --none`. */
export function setHostCommand(projects: Command): void {
  withServer(withGitHostOptions(projects.command('set-host').description('Set where the project posts commit statuses and plan comments').argument('<project>', 'project name or id')).option('--none', 'post nothing to a git host').option('--json', 'print JSON')).action(
    async (project: string, opts: ServerOpts & GitHostOpts & { none?: boolean; json?: boolean }) => {
      const input = gitHostInput(opts);
      if (!input && !opts.none) throw new SlipwayError('SLW_USAGE', 'say where statuses go with --host, or stop them with --none');
      if (input && opts.none) throw new SlipwayError('SLW_USAGE', '--host and --none exclude each other');
      const updated = await clientFrom(opts).put<Project>(`/api/projects/${encodeURIComponent(project)}/git-host`, { gitHost: input ?? null });
      if (opts.json) return printJson(updated);
      process.stdout.write(`${color.green('updated')} ${updated.name}: ${describeGitHost(updated)}\n`);
    },
  );
}
