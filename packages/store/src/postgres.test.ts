import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@slipway/core';
import { serviceUnavailable } from '../../testkit/src/services.js';
import { runStoreConformance } from './conformance.js';
import { createTestClock } from './conformance/fixtures.js';
import { createStore } from './index.js';

const adminUrl = process.env.SLIPWAY_TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `cannot connect to SLIPWAY_TEST_POSTGRES_URL (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const probed = await probe();
const skip = serviceUnavailable('postgresql', () => probed);

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database per store, so every store starts empty and runs every migration. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `slipway_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}) };
}

describe.skipIf(skip)('PostgreSQL store', () => {
  runStoreConformance('postgres', async ({ clock }) => {
    const db = await freshDatabase();
    const store = await createStore({ database: db.url, clock });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
    };
  });

  describe('across processes sharing one database', () => {
    let db: { url: string; drop: () => Promise<void> };
    let stores: Store[] = [];
    const clock = createTestClock();
    beforeAll(async () => {
      db = await freshDatabase();
      // Concurrent first starts race for the migrations; Kysely's migration lock lets exactly one apply them.
      stores = await Promise.all([1, 2, 3].map(() => createStore({ database: db.url, clock })));
    });
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await db?.drop();
    });

    it('gives each item to exactly one claimer across connection pools', async () => {
      const items = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.enqueue({ kind: 'shared', payload: { i } })));
      const claims = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 3]!.claim({ owner: `w${i}`, leaseMs: 10_000, kinds: ['shared'] })));
      const won = claims.filter((c) => c !== undefined);
      expect(won).toHaveLength(30);
      expect(new Set(won.map((c) => c.id))).toEqual(new Set(items.map((i) => i.id)));
    });

    it('numbers runs and releases without collisions across pools', async () => {
      const project = await stores[0]!.createProject({ name: 'shared', repoUrl: '/r', branch: 'main', pollIntervalMs: 1000 });
      const input = { projectId: project.id, workflow: 'ci.yaml', workflowName: 'CI', commitSha: 'a', branch: 'main', trigger: 'push' as const, jobs: [] };
      const runs = await Promise.all(Array.from({ length: 15 }, (_, i) => stores[i % 3]!.createRun(input)));
      expect(runs.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      const releases = await Promise.all(Array.from({ length: 9 }, (_, i) => stores[i % 3]!.createRelease({ projectId: project.id, commitSha: 'a', services: {}, changedServices: [] })));
      expect(releases.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    });

    it('keeps event seq increasing across pools', async () => {
      await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.appendEvent({ kind: 'commit.seen', message: String(i), subject: 'shared' })));
      const seqs = (await stores[1]!.listEvents({ subject: 'shared' })).map((e) => e.seq);
      expect(seqs).toHaveLength(30);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    });
  });

  it('fails with SLW_STORE_UNAVAILABLE and no password when the server cannot be reached', async () => {
    const err = await createStore({ database: 'postgres://slipway:hunter2-secret@127.0.0.1:1/slipway' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLW_STORE_UNAVAILABLE' });
    const text = JSON.stringify({ message: (err as Error).message, stack: (err as Error).stack, cause: String((err as Error).cause) });
    expect(text).not.toContain('hunter2-secret');
    expect((err as Error).message).toContain('127.0.0.1:1');
  });
});
