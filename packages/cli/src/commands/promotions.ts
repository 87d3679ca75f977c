import type { Command } from 'commander';
import type { Approval, EnvironmentRecord, Promotion, Release } from '@slipway/core';
import { clientFrom, withServer } from '../globals.js';
import { age, color, healthColor, printJson, printTable } from '../output.js';

type Opts = { server: string; token?: string; json?: boolean };

/** `slipway promotions` (what waits where, and why) and `slipway approve <promotion>` (role approver). */
export function promotionCommands(program: Command): void {
  withServer(program.command('promotions').description('List promotions, newest first, with the gates they wait on').option('--env <env>', 'only this environment').option('--waiting', 'only the ones waiting on their gates').option('--limit <n>', 'how many', '20').option('--json', 'print JSON')).action(
    async (opts: Opts & { env?: string; waiting?: boolean; limit: string }) => {
      const client = clientFrom(opts);
      const envs = (await client.get<{ items: EnvironmentRecord[] }>('/api/environments')).items;
      const wanted = opts.env ? envs.filter((e) => e.name === opts.env) : envs;
      const q = new URLSearchParams({ limit: opts.limit, ...(opts.waiting ? { phase: 'pending' } : {}) });
      const lists = await Promise.all(wanted.map((e) => client.get<{ items: Promotion[] }>(`/api/promotions?environmentId=${e.id}&${q}`)));
      const items = lists.flatMap((l) => l.items).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, Number(opts.limit));
      if (opts.json) return printJson(items);
      const releases = new Map((await client.get<{ items: Release[] }>('/api/releases?limit=500')).items.map((r) => [r.id, r]));
      const envName = new Map(envs.map((e) => [e.id, e.name]));
      printTable(
        ['ID', 'RELEASE', 'ENVIRONMENT', 'KIND', 'PHASE', 'WAITING ON', 'CREATED'],
        items.map((p) => [color.grey(p.id), `v${releases.get(p.releaseId)?.version ?? '?'}`, envName.get(p.environmentId) ?? '?', p.kind, healthColor(p.phase), p.phase === 'pending' ? p.gates.filter((g) => !g.passed).map((g) => g.detail).join('; ') || 'its gates' : '-', age(p.createdAt)]),
      );
    },
  );
  withServer(program.command('approve').description('Approve a waiting promotion (role approver)').argument('<promotion>', 'promotion id (see `slipway promotions --waiting`)').option('--reason <text>', 'why, for the record').option('--json', 'print JSON')).action(
    async (id: string, opts: Opts & { reason?: string }) => {
      const result = await clientFrom(opts).post<{ promotion: Promotion; approvals: Approval[] }>(`/api/promotions/${encodeURIComponent(id)}/approve`, opts.reason ? { reason: opts.reason } : {});
      if (opts.json) return printJson(result);
      const by = result.approvals.map((a) => a.actor).join(', ');
      process.stdout.write(`${color.green('approved')} ${id} (${result.approvals.length} approval${result.approvals.length === 1 ? '' : 's'}: ${by}); it deploys once every gate passes. Follow with \`slipway promotions\`.\n`);
    },
  );
}
