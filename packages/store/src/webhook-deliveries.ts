import type { Store } from '@slipway/core';
import type { StoreContext } from './context.js';

type DeliveryMethods = Pick<Store, 'recordWebhookDelivery' | 'forgetWebhookDelivery' | 'pruneWebhookDeliveries'>;

/** Webhook delivery ids: one row per (host, id), written once; the insert is the check, so concurrent replays race safely. */
export function webhookDeliveryMethods(ctx: StoreContext): DeliveryMethods {
  const { db } = ctx;
  return {
    async recordWebhookDelivery(input) {
      // RETURNING yields the row only when it was inserted: on both databases a conflict returns nothing.
      const row = await db
        .insertInto('webhook_deliveries')
        .values({ host: input.host, delivery_id: input.deliveryId, received_at: ctx.now() })
        .onConflict((oc) => oc.columns(['host', 'delivery_id']).doNothing())
        .returning('delivery_id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async forgetWebhookDelivery(host, deliveryId) {
      await db.deleteFrom('webhook_deliveries').where('host', '=', host).where('delivery_id', '=', deliveryId).execute();
    },

    async pruneWebhookDeliveries(olderThan) {
      const result = await db.deleteFrom('webhook_deliveries').where('received_at', '<', olderThan).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
