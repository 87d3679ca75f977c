import type { StoreMigration } from './migration.js';

/** Runs started by hand (workflow_dispatch) keep their inputs, so that a retry or a re-run sees the same ones. */
export const runInputs: StoreMigration = {
  name: '0007-run-inputs',
  async up(db) {
    await db.schema.alterTable('runs').addColumn('inputs', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  },
};
