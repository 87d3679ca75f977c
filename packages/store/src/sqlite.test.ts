import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreConformance } from './conformance.js';
import { createStore } from './index.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-store-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

runStoreConformance('sqlite', async ({ clock }) => {
  const dataDir = tempDir();
  const store = await createStore({ dataDir, clock });
  return { store, cleanup: () => store.close() };
});

describe('SQLite store', () => {
  it('creates the data dir, uses WAL and runs migrations once', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = await createStore({ dataDir });
    expect(store.dialect).toBe('sqlite');
    expect(existsSync(join(dataDir, 'slipway.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'slipway.db-wal'))).toBe(true);
    await store.createProject({ name: 'kept', repoUrl: '/r', branch: 'main', pollIntervalMs: 1000 });
    await store.migrate();
    await store.close();
    const reopened = await createStore({ dataDir });
    expect((await reopened.listProjects()).map((p) => p.name)).toEqual(['kept']);
    await reopened.close();
  });

  it('supports :memory: without a data dir', async () => {
    const store = await createStore({ database: ':memory:' });
    expect(await store.listProjects()).toEqual([]);
    await store.close();
  });

  it('holds the data dir lock while open and releases it on close', async () => {
    const dataDir = tempDir();
    const store = await createStore({ dataDir });
    expect(readFileSync(join(dataDir, 'slipway.lock'), 'utf8').trim()).toBe(String(process.pid));
    await store.close();
    await store.close();
    expect(existsSync(join(dataDir, 'slipway.lock'))).toBe(false);
  });

  it('refuses a data dir locked by another live process', async () => {
    const dataDir = tempDir();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'slipway.lock'), `${other.pid}\n`);
      await expect(createStore({ dataDir })).rejects.toMatchObject({ code: 'SLW_STORE_LOCKED', message: expect.stringContaining(String(other.pid)) });
      // The refused store left the other process's lock alone.
      expect(readFileSync(join(dataDir, 'slipway.lock'), 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill();
    }
  });

  it('takes over a stale lock of a process that is gone', async () => {
    const dataDir = tempDir();
    const gone = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(join(dataDir, 'slipway.lock'), `${gone.pid}\n`);
    const store = await createStore({ dataDir });
    expect(readFileSync(join(dataDir, 'slipway.lock'), 'utf8').trim()).toBe(String(process.pid));
    await store.close();
  });

  it('rejects a database it does not support, without echoing credentials', async () => {
    await expect(createStore({ database: 'mysql://root:secret@db/slipway' })).rejects.toMatchObject({ code: 'SLW_USAGE', message: expect.not.stringContaining('secret') });
  });
});
