import type { Store } from '@slipway/core';

export interface ReconcileAfterChangeOptions {
  /** How often to try again while the environment's reconcile runs. Default 250 ms. */
  pollMs?: number;
  /** When to leave it to the periodic resync instead. Default 30 s. */
  giveUpMs?: number;
}

/**
 * Queues a reconcile of an environment whose target reported a change (drift seen by a watch). The queue keeps one
 * unfinished item per environment, so a change reported while a reconcile runs would be folded into that run, which
 * may have observed the target before the change. Then another reconcile is queued once the running one has finished
 * (the store then takes a new item), so the change is acted on at once and not at the next resync. Resolves to the id
 * of the item that will see the change.
 */
export async function reconcileAfterChange(store: Store, wake: () => void, environmentId: string, options: ReconcileAfterChangeOptions = {}): Promise<string> {
  const pollMs = options.pollMs ?? 250;
  const giveUpAt = Date.now() + (options.giveUpMs ?? 30_000);
  for (;;) {
    const item = await store.enqueue({ kind: 'environment.reconcile', payload: { environmentId }, dedupeKey: `env:${environmentId}` });
    wake();
    if (item.status !== 'leased' || Date.now() >= giveUpAt) return item.id;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
