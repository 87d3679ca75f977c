import type { StoreMigration } from './migration.js';

/** Jobs keep their outputs (re-running failed jobs reuses them); steps record when they were queued. */
export const runGraph: StoreMigration = {
  name: '0005-run-graph',
  async up(db) {
    await db.schema.alterTable('jobs').addColumn('outputs', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    await db.schema.alterTable('steps').addColumn('queued_at', 'text').execute();
  },
};
