import type { StoreMigration } from './migration.js';

/**
 * Promotions wait on gates (approvals, deploy windows, the previous environment): each environment keeps the policy of
 * the last commit processed, each promotion its gates as last judged and whether a person asked for it, and approvals
 * are rows of their own (one per person and promotion).
 */
export const promotionGates: StoreMigration = {
  name: '0012-promotion-gates',
  async up(db) {
    await db.schema.alterTable('environments').addColumn('policy', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    await db.schema.alterTable('environments').addColumn('hold_version', 'integer').execute();
    await db.schema.alterTable('promotions').addColumn('gates', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('promotions').addColumn('manual', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('approvals')
      .addColumn('promotion_id', 'text', (c) => c.notNull().references('promotions.id').onDelete('cascade'))
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('approvals_pk', ['promotion_id', 'actor'])
      .execute();
    await db.schema.createIndex('promotions_phase').on('promotions').columns(['phase']).execute();
  },
};
