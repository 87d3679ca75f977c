import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { SlipwayError, systemClock, type Clock, type Store } from '@slipway/core';
import { createContext } from './context.js';
import type { Database } from './schema.js';
import { assembleStore } from './store.js';

export interface PostgresStoreOptions {
  /** A postgres:// or postgresql:// URL. Its password never appears in an error or a log. */
  url: string;
  clock?: Clock;
  /** Connections in the pool; default 10. */
  poolSize?: number;
}

const connectTimeoutMs = 5000;
/** Socket errors and SQLSTATE class 08 (connection exception) and 57P0x (server shutting down): the server is away. */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/** The URL with its password masked, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL URL (unparseable)';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return unavailableCodes.has(code) || code.startsWith('08') || /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

/** Opens (and migrates) the PostgreSQL store. Fails with SLW_STORE_UNAVAILABLE when the server cannot be reached. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const where = redactUrl(options.url);
  const password = passwordOf(options.url);
  // Driver messages do not quote the password today; scrub anyway so that a future driver change cannot leak it.
  const scrub = (text: string) => (password ? text.split(password).join('***') : text);
  const unavailable = (err: unknown, what: string) => {
    const reason = scrub(err instanceof Error ? err.message || String((err as { code?: unknown }).code) : String(err));
    // The original error is left out as cause: it may carry connection parameters.
    return new SlipwayError('SLW_STORE_UNAVAILABLE', `${what} PostgreSQL at ${where}: ${reason}`);
  };

  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: connectTimeoutMs });
  // An idle connection that dies emits 'error' on the pool, which would crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw unavailable(err, 'cannot connect to');
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = assembleStore(createContext(db, 'postgres', options.clock ?? systemClock), {
    mapError: (err) => (isUnavailable(err) ? unavailable(err, 'lost the connection to') : err),
  });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
