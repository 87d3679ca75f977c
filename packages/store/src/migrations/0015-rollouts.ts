import type { StoreMigration } from './migration.js';

/** Progressive rollouts (canary, blue-green): one row per service and deployment, with its steps and measurements. */
export const rollouts: StoreMigration = {
  name: '0015-rollouts',
  async up(db) {
    await db.schema
      .createTable('rollouts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text')
      .addColumn('promotion_id', 'text')
      .addColumn('strategy', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('step_index', 'integer', (c) => c.notNull())
      .addColumn('weight', 'real', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('stable_revision', 'text')
      .addColumn('canary_revision', 'text', (c) => c.notNull())
      .addColumn('step_started_at', 'text', (c) => c.notNull())
      .addColumn('measurements', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('exposure', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('rollouts_environment').on('rollouts').columns(['environment_id', 'phase']).execute();
  },
};
