import type { StoreMigration } from './migration.js';

/** An environment taken out of slipway.yaml is retired, not deleted: its promotions and deployments stay on record. */
export const environmentRemoval: StoreMigration = {
  name: '0013-environment-removal',
  async up(db) {
    await db.schema.alterTable('environments').addColumn('removed_at', 'text').execute();
  },
};
