import type { StoreMigration } from './migration.js';

/** Secrets, sealed by the engine before they reach the database. */
export const secrets: StoreMigration = {
  name: '0002-secrets',
  async up(db) {
    await db.schema
      .createTable('secrets')
      // The scope is the project id, or '' for a global secret. A nullable project_id cannot be part of the key: both
      // databases treat NULLs as distinct in a unique constraint, so two global secrets of one name could coexist.
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.references('projects.id').onDelete('cascade'))
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('secrets_pk', ['scope', 'name'])
      .execute();
  },
};
