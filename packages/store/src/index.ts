import { join } from 'node:path';
import { SlipwayError, type Clock, type Store } from '@slipway/core';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';

export { createPostgresStore, type PostgresStoreOptions } from './postgres.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite.js';

export interface CreateStoreOptions {
  /** A postgres:// or postgresql:// URL, or `:memory:` for a throwaway SQLite database; default: SQLite in the data dir. */
  database?: string;
  /** Where the SQLite database (`slipway.db`) and its lock live; required unless `database` is given. */
  dataDir?: string;
  /** Stamps every time and decides lease expiry; tests pass one they can move forward. */
  clock?: Clock;
}

/** Opens the store that `database` names and migrates it to the latest schema. */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  const { database, dataDir, clock } = options;
  if (database && /^postgres(ql)?:\/\//i.test(database)) return createPostgresStore({ url: database, clock });
  if (database === ':memory:') return createSqliteStore({ file: ':memory:', clock });
  if (database) throw new SlipwayError('SLW_USAGE', `unsupported database "${database.replace(/\/\/[^@/]*@/, '//***@')}": use a postgres:// URL, or leave it out for SQLite in the data dir`);
  if (!dataDir) throw new SlipwayError('SLW_USAGE', 'a data dir is required for the embedded SQLite database');
  return createSqliteStore({ file: join(dataDir, 'slipway.db'), clock });
}
