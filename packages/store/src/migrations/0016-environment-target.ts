import type { StoreMigration } from './migration.js';

/** The whole target of an environment (namespace, cluster secret and context on Kubernetes), as JSON next to its type. */
export const environmentTarget: StoreMigration = {
  name: '0016-environment-target',
  async up(db) {
    await db.schema.alterTable('environments').addColumn('target', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  },
};
