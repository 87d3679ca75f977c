import { describe, expect, it } from 'vitest';
import { useStore, type NewStore } from './fixtures.js';

export function webhookDeliveryConformance(newStore: NewStore): void {
  describe('webhook deliveries', () => {
    const f = useStore(newStore);

    it('records a delivery id once per host; a replay is refused, another host may reuse the id', async () => {
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'd-1' })).toBe(true);
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'd-1' })).toBe(false);
      expect(await f.store.recordWebhookDelivery({ host: 'gitlab', deliveryId: 'd-1' })).toBe(true);
    });

    it('lets exactly one of concurrent replays win', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => f.store.recordWebhookDelivery({ host: 'gitea', deliveryId: 'race' })));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets a delivery so that a redelivery is recorded again', async () => {
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'd-forget' })).toBe(true);
      await f.store.forgetWebhookDelivery('github', 'd-forget');
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'd-forget' })).toBe(true);
    });

    it('prunes deliveries recorded before a time, and only those', async () => {
      await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'old' });
      f.clock.advance(8 * 24 * 3600_000);
      const cutoff = new Date(f.clock.now().getTime() - 7 * 24 * 3600_000).toISOString();
      await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'new' });
      expect(await f.store.pruneWebhookDeliveries(cutoff)).toBeGreaterThanOrEqual(1);
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'old' })).toBe(true);
      expect(await f.store.recordWebhookDelivery({ host: 'github', deliveryId: 'new' })).toBe(false);
      expect(await f.store.pruneWebhookDeliveries(cutoff)).toBe(0);
    });
  });
}
