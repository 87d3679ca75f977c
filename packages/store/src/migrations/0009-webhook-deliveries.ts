import type { StoreMigration } from './migration.js';

/**
 * The delivery ids of webhooks already handled, so that a host's retry or a replayed request does nothing. The key is
 * the host and its delivery id; old rows are pruned (see the Store port), which bounds the table.
 */
export const webhookDeliveries: StoreMigration = {
  name: '0009-webhook-deliveries',
  async up(db) {
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['host', 'delivery_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_received_at').on('webhook_deliveries').column('received_at').execute();
  },
};
