import type { StoreMigration } from './migration.js';

/** Runs remember their workflow's concurrency group, so a new run can cancel or wait for the others in it. */
export const runConcurrency: StoreMigration = {
  name: '0006-run-concurrency',
  async up(db) {
    await db.schema.alterTable('runs').addColumn('concurrency_group', 'text').execute();
    await db.schema.alterTable('runs').addColumn('cancel_in_progress', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
