import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUnavailable } from '@slipway/testkit';
import { freePort, git, processesMatching, servicesIn, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';

const adminUrl = process.env.SLIPWAY_TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const database = `slipway_e2e_${Math.random().toString(16).slice(2, 10)}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let reason: string | undefined;
try {
  await admin(`CREATE DATABASE ${database}`);
} catch (err) {
  reason = serviceUnavailable('postgresql', () => `cannot reach ${adminUrl.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}`);
}

/** The same flow on PostgreSQL: the server's store is the only thing that changes. */
describe.skipIf(reason)('the demo flow on PostgreSQL', () => {
  const dir = tempDir('pgflow');
  let s: ServerProcess;

  beforeAll(async () => {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    s = await startSlipway(['demo', '--data-dir', dir.path, '--quiet', '--database', url.toString()], { port: await freePort() });
  });

  afterAll(async () => {
    await s?.stop();
    const left = processesMatching(dir.path);
    dir.remove();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    expect(left, 'processes left behind').toBe('');
  });

  it('converges, then deploys a commit to dev, with the store in PostgreSQL', async () => {
    await waitFor('three healthy services in dev', async () => {
      const svc = servicesIn(await s.status());
      return ['api', 'web', 'worker'].every((n) => svc.get(n)?.health === 'healthy');
    }, 60_000);
    const before = servicesIn(await s.status());
    const repo = join(dir.path, 'demo-repo');
    const file = join(repo, 'services/worker/src/version.mjs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/VERSION = '[^']*'/, "VERSION = '3.0.0'"));
    await git(repo, 'commit', '-qam', 'bump worker');
    const after = await waitFor('worker at a new release', async () => {
      const now = servicesIn(await s.status());
      return now.get('worker')?.health === 'healthy' && now.get('worker')?.releaseId !== before.get('worker')!.releaseId ? now : undefined;
    }, 15_000, 100);
    expect(after.get('api')!.releaseId).toBe(before.get('api')!.releaseId);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/slipway_deployments_total\{environment="dev",status="succeeded"\} 2/);
  }, 90_000);
});
