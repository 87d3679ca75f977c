import type { StoreMigration } from './migration.js';

/** A release records the rendered config it was made from and the runs that made it (issue 6: immutable releases). */
export const releaseRecord: StoreMigration = {
  name: '0014-release-record',
  async up(db) {
    await db.schema.alterTable('releases').addColumn('config', 'text').execute();
    await db.schema.alterTable('releases').addColumn('run_ids', 'text').execute();
  },
};
