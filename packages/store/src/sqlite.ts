import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SlipwayError, systemClock, type Clock, type Store } from '@slipway/core';
import { createContext } from './context.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import type { Database } from './schema.js';
import { assembleStore } from './store.js';

export interface SqliteStoreOptions {
  /** Path of the database file, or `:memory:`. The file's directory is created and locked for this process. */
  file: string;
  clock?: Clock;
}

/** How long a statement waits for a lock held by another connection (a backup, the sqlite3 shell) before failing. */
const busyTimeoutMs = 5000;

function mapSqliteError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new SlipwayError('SLW_STORE_UNAVAILABLE', `the SQLite database is locked by another connection: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/** Opens (and migrates) the embedded SQLite store. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const memory = options.file === ':memory:';
  let lock: DataDirLock | undefined;
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (!memory) {
      const dir = dirname(resolve(options.file));
      mkdirSync(dir, { recursive: true });
      lock = acquireDataDirLock(dir);
    }
    sqlite = openNative(options.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma('foreign_keys = ON');
    // Safe with WAL: a power loss can lose the last transactions but never corrupts the database.
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const heldLock = lock;
    const store = assembleStore(createContext(db, 'sqlite', options.clock ?? systemClock), {
      onClose: () => heldLock?.release(),
      mapError: mapSqliteError,
    });
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  } catch (err) {
    if (sqlite?.open) sqlite.close();
    lock?.release();
    throw err;
  }
}

/**
 * Opens the database file. better-sqlite3 is a native module built for the Node.js that ran `npm install`; under another
 * major version it cannot load, and the error says how to fix that instead of looking like a Slipway bug.
 */
function openNative(file: string): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(file);
  } catch (err) {
    if (err instanceof Error && /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(err.message)) {
      throw new SlipwayError('SLW_STORE_UNAVAILABLE', `the SQLite module was built for another Node.js version than this one (${process.version})`, {
        hint: 'Rebuild it for this Node.js: `npm rebuild better-sqlite3` in the Slipway directory (or run `npm install` again).',
        cause: err,
      });
    }
    throw err;
  }
}
