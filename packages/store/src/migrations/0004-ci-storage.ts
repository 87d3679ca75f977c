import type { StoreMigration } from './migration.js';

/** Caches and artifacts of CI runs: rows that point at content-addressed blobs in the engine's blob store. */
export const ciStorage: StoreMigration = {
  name: '0004-ci-storage',
  async up(db) {
    const s = db.schema;
    await s
      .createTable('cache_entries')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cache_entries_pk', ['project_id', 'key', 'version'])
      .execute();
    // Restore-key lookups scan one project's entries of one version, newest first.
    await s.createIndex('cache_entries_lookup').on('cache_entries').columns(['project_id', 'version', 'created_at']).execute();
    await s.createIndex('cache_entries_last_used').on('cache_entries').columns(['last_used_at']).execute();

    await s
      .createTable('artifacts')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('artifacts_pk', ['run_id', 'name'])
      .execute();
  },
};
