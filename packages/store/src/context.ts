import type { Kysely } from 'kysely';
import type { Clock } from '@slipway/core';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** What every area module of the store needs: the database, its dialect and the clock that stamps every time. */
export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The clock's now as an ISO-8601 string; ISO strings in UTC compare correctly as text. */
  now(): string;
  /** The clock's now plus `ms`, as an ISO-8601 string. */
  at(ms: number): string;
}

export function createContext(db: Kysely<Database>, dialect: Dialect, clock: Clock): StoreContext {
  return {
    db,
    dialect,
    now: () => clock.now().toISOString(),
    at: (ms) => new Date(clock.now().getTime() + ms).toISOString(),
  };
}

/** Default page size of list methods when the caller gives no limit. */
export const defaultLimit = 100;

/** Keeps only the keys of a patch whose value is not undefined (null is a value: it clears the column). */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
