import type { StoreMigration } from './migration.js';

/**
 * Besides its release branch, a project may follow more branches for CI (glob patterns). The last head seen of each is
 * kept, so that a restart does not run a branch again and a new push is diffed against the previous one.
 */
export const projectBranches: StoreMigration = {
  name: '0011-project-branches',
  async up(db) {
    await db.schema.alterTable('projects').addColumn('ci_branches', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema
      .createTable('branch_heads')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('sha', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('branch_heads_pk', ['project_id', 'branch'])
      .execute();
  },
};
