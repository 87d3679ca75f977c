import type { Command } from 'commander';
import { SlipwayError, type Project, type SecretSummary } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { age, color, printJson, printTable } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean; project?: string };
type SetOpts = Opts & { value?: string; valueFromStdin?: boolean };

const scopeOf = (project: string | undefined) => (project ? `project ${project}` : 'global');

/**
 * `slipway secrets set|list|delete`. A value is read from stdin (or typed at a prompt that does not echo), so that it stays
 * out of the shell history and the process list; it is never printed.
 */
export function secretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('Manage the secrets workflows can use (values are write-only)');
  withServer(
    secrets
      .command('set')
      .description('Set a secret from stdin (or a prompt that does not echo); one trailing newline is dropped')
      .argument('<name>', 'secret name: letters, digits and _, case-insensitive')
      .option('--project <project>', 'only for this project (id or name); default: global, for every project')
      .option('--value-from-stdin', 'read the value from stdin (the default when stdin is not a terminal)')
      .option('--value <value>', 'the value itself; avoid it: it shows in the shell history and the process list')
      .option('--json', 'print JSON'),
  ).action(async (name: string, opts: SetOpts) => {
    if (opts.value !== undefined && opts.valueFromStdin) throw new SlipwayError('SLW_USAGE', 'give --value or --value-from-stdin, not both');
    const value = opts.value ?? (opts.valueFromStdin || !process.stdin.isTTY ? await readStdin() : await promptHidden(`Value for ${name}: `));
    if (value === '') throw new SlipwayError('SLW_USAGE', `the value of ${name} is empty`, { hint: 'Pipe the value in, for example `slipway secrets set NAME < file`.' });
    const saved = await clientFrom(opts).put<SecretSummary>(`/api/secrets/${encodeURIComponent(name)}`, { value, ...(opts.project ? { projectId: opts.project } : {}) });
    if (opts.json) return printJson(saved);
    process.stdout.write(`${color.green('set')} ${saved.name} (${scopeOf(opts.project)})\n`);
  });

  withServer(
    secrets
      .command('list')
      .description('List secret names and when they were set (never values)')
      .option('--project <project>', "only this project's own secrets (id or name)")
      .option('--json', 'print JSON'),
  ).action(async (opts: Opts) => {
    const client = clientFrom(opts);
    const { items } = await client.get<{ items: SecretSummary[] }>(`/api/secrets${opts.project ? `?${new URLSearchParams({ projectId: opts.project })}` : ''}`);
    if (opts.json) return printJson(items);
    const names = items.some((s) => s.projectId) ? new Map((await client.get<{ items: Project[] }>('/api/projects')).items.map((p) => [p.id, p.name])) : new Map<string, string>();
    printTable(['NAME', 'SCOPE', 'UPDATED'], items.map((s) => [s.name, s.projectId ? `project ${names.get(s.projectId) ?? s.projectId}` : 'global', age(s.updatedAt)]));
  });

  withServer(
    secrets
      .command('delete')
      .description('Delete a secret')
      .argument('<name>', 'secret name')
      .option('--project <project>', 'the project the secret belongs to (id or name); default: the global secret'),
  ).action(async (name: string, opts: Opts) => {
    await clientFrom(opts).delete(`/api/secrets/${encodeURIComponent(name)}${opts.project ? `?${new URLSearchParams({ projectId: opts.project })}` : ''}`);
    process.stdout.write(`${color.green('deleted')} ${name.toUpperCase()} (${scopeOf(opts.project)})\n`);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // `echo value | slipway secrets set` must not store the newline echo adds.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new SlipwayError('SLW_USAGE', 'cancelled; nothing was set'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
