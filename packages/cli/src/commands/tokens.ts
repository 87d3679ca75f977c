import type { Command } from 'commander';
import { roles, SlipwayError, type ApiToken, type Role } from '@slipway/core';
import { hashToken, newToken } from '@slipway/server';
import { createStore } from '@slipway/store';
import { clientFrom, withServer } from '../globals.js';
import { color, printJson, printTable } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean; dataDir?: string; database?: string };

/**
 * `slipway tokens create|list|revoke`. With --data-dir or --database it writes the store directly (to create the first
 * admin token before a server is bound beyond loopback); otherwise it goes through the API (role admin).
 */
export function tokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('Manage API tokens (role admin)');
  const local = (cmd: Command) => withServer(cmd).option('--data-dir <dir>', 'write to this data directory directly, without a server').option('--database <url>', 'write to this PostgreSQL database directly');
  local(tokens.command('create').description('Create an API token; the secret is printed once').requiredOption('--role <role>', `one of ${roles.join(', ')}`).option('--name <name>', 'a label', 'cli').option('--json', 'print JSON')).action(
    async (opts: Opts & { role: string; name: string }) => {
      if (!(roles as readonly string[]).includes(opts.role)) throw new SlipwayError('SLW_USAGE', `unknown role "${opts.role}"`, { hint: `Use one of: ${roles.join(', ')}.` });
      let created: ApiToken & { token: string };
      if (opts.dataDir || opts.database) {
        const store = await createStore({ dataDir: opts.dataDir ?? '.', database: opts.database });
        try {
          const token = newToken();
          created = { ...(await store.createToken({ name: opts.name, role: opts.role as Role, hash: hashToken(token) })), token };
        } finally {
          await store.close();
        }
      } else {
        created = await clientFrom(opts).post('/api/tokens', { name: opts.name, role: opts.role });
      }
      if (opts.json) return printJson(created);
      process.stdout.write(`${color.green('created')} ${created.role} token "${created.name}" (${created.id}). It is shown only once:\n${created.token}\n`);
    },
  );
  withServer(tokens.command('list').description('List API tokens').option('--json', 'print JSON')).action(async (opts: Opts) => {
    const { items } = await clientFrom(opts).get<{ items: ApiToken[] }>('/api/tokens');
    if (opts.json) return printJson(items);
    printTable(['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED'], items.map((t) => [t.id, t.name, t.role, t.createdAt, t.lastUsedAt ?? '-']));
  });
  withServer(tokens.command('revoke').description('Revoke an API token').argument('<id>', 'token id')).action(async (id: string, opts: Opts) => {
    await clientFrom(opts).delete(`/api/tokens/${encodeURIComponent(id)}`);
    process.stdout.write(`${color.green('revoked')} ${id}\n`);
  });
}
