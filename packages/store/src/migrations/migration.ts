import type { Kysely } from 'kysely';
import type { Dialect } from '../context.js';

/**
 * One schema migration. Migrations see the database as it was when they were written, hence `Kysely<any>`, and get the
 * dialect for the few types that differ (auto-increment keys).
 */
export interface StoreMigration {
  /** Sorts in apply order; recorded in the migration table, so never rename a released migration. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}
