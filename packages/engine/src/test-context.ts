import type { Clock, SourceProvider, Store } from '@slipway/core';
import type { EngineContext } from './context.js';
import { createEventBus } from './events/event-bus.js';
import { silentLogger } from './logger.js';
import { createFetchCoalescer } from './sources/coalesced-fetch.js';

/**
 * For tests of one engine component on real adapters (a store, a git source): the context the engine would build,
 * without a driver or executors. `enqueue` only adds the queue item; the test claims and runs what it needs.
 */
export function testContext(input: { store: Store; source: SourceProvider; clock: Clock; dataDir: string }): EngineContext {
  const { store } = input;
  const enqueue: EngineContext['enqueue'] = async (kind, payload, options) => void (await store.enqueue({ kind, payload, ...options }));
  // No driver or executor: the components under test do not deploy or run steps.
  return { ...input, driverFor: () => { throw new Error('no driver in this test context'); }, bus: createEventBus(store), logger: silentLogger, cancellers: new Map(), fetchLatest: createFetchCoalescer(input.source), snapshots: new Map(), enqueue } as unknown as EngineContext;
}
