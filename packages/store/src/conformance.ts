import { describe } from 'vitest';
import { ciStorageConformance } from './conformance/ci-storage.js';
import { deliveryConformance } from './conformance/delivery.js';
import { eventAndTokenConformance } from './conformance/events-tokens.js';
import type { NewStore } from './conformance/fixtures.js';
import { gitHostConformance } from './conformance/git-host.js';
import { projectAndRunConformance } from './conformance/projects-runs.js';
import { queueConformance } from './conformance/queue.js';
import { secretConformance } from './conformance/secrets.js';
import { webhookDeliveryConformance } from './conformance/webhook-deliveries.js';

export type { NewStore, StoreHandle } from './conformance/fixtures.js';

/**
 * The Store port's conformance suite: every adapter runs it against a real database. `newStore` is called once per area
 * (so a handful of times) and gets the clock the suite moves forward to test leases and retry delays.
 */
export function runStoreConformance(name: string, newStore: NewStore): void {
  describe(`Store conformance: ${name}`, () => {
    projectAndRunConformance(newStore);
    deliveryConformance(newStore);
    eventAndTokenConformance(newStore);
    queueConformance(newStore);
    secretConformance(newStore);
    ciStorageConformance(newStore);
    webhookDeliveryConformance(newStore);
    gitHostConformance(newStore);
  });
}
