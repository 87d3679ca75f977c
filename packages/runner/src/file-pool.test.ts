import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFilePool } from './file-pool.js';

describe('file pool', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-file-pool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts a fresh empty file at each destination, from the pool once it has filled', async () => {
    const pool = createFilePool(dir, 3);
    pool.take(join(dir, 'a'));
    writeFileSync(join(dir, 'a'), 'written by step 1');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).filter((f) => f.startsWith('.pool-')).length).toBeGreaterThanOrEqual(3);
    for (const name of ['b', 'c', 'd']) pool.take(join(dir, name));
    for (const name of ['b', 'c', 'd']) expect(readFileSync(join(dir, name), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('written by step 1');
    await pool.close();
  });

  it('still makes the file when the pool is empty or its directory went away', async () => {
    const gone = join(dir, 'gone');
    const pool = createFilePool(gone, 2);
    expect(() => pool.take(join(gone, 'x'))).toThrow();
    const here = createFilePool(dir, 2);
    here.take(join(dir, 'x'));
    expect(existsSync(join(dir, 'x'))).toBe(true);
    await Promise.all([pool.close(), here.close()]);
  });
});
