import type { StoreMigration } from './migration.js';

/** Runs of pull requests remember which one, whether it comes from a fork (no secrets), and its branches. */
export const runPullRequest: StoreMigration = {
  name: '0008-run-pull-request',
  async up(db) {
    await db.schema.alterTable('runs').addColumn('pull_request', 'text').execute();
  },
};
