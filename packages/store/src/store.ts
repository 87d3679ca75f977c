import type { Store } from '@slipway/core';
import { artifactMethods } from './artifacts.js';
import { cacheMethods } from './caches.js';
import type { StoreContext } from './context.js';
import { environmentMethods } from './environments.js';
import { eventMethods } from './events.js';
import { logMethods } from './logs.js';
import { migrateToLatest } from './migrations/index.js';
import { projectMethods } from './projects.js';
import { promotionMethods } from './promotions.js';
import { rolloutMethods } from './rollouts.js';
import { queueMethods } from './queue.js';
import { releaseMethods } from './releases.js';
import { runMethods } from './runs.js';
import { secretMethods } from './secrets.js';
import { tokenMethods } from './tokens.js';
import { webhookDeliveryMethods } from './webhook-deliveries.js';

export interface StoreHooks {
  /** Releases what the dialect holds beyond the Kysely instance (the data-dir lock). */
  onClose?: () => void | Promise<void>;
  /** Turns a driver error into a SlipwayError when it means the database is unavailable; returns other errors unchanged. */
  mapError: (err: unknown) => unknown;
}

/** Builds the Store port from the per-area modules; both dialects share every query. */
export function assembleStore(ctx: StoreContext, hooks: StoreHooks): Store {
  let closing: Promise<void> | undefined;
  const store: Store = {
    dialect: ctx.dialect,
    migrate: () => migrateToLatest(ctx.db, ctx.dialect),
    close() {
      closing ??= (async () => {
        try {
          await ctx.db.destroy();
        } finally {
          await hooks.onClose?.();
        }
      })();
      return closing;
    },
    ...projectMethods(ctx),
    ...runMethods(ctx),
    ...logMethods(ctx),
    ...releaseMethods(ctx),
    ...environmentMethods(ctx),
    ...promotionMethods(ctx),
    ...rolloutMethods(ctx),
    ...eventMethods(ctx),
    ...queueMethods(ctx),
    ...tokenMethods(ctx),
    ...secretMethods(ctx),
    ...cacheMethods(ctx),
    ...artifactMethods(ctx),
    ...webhookDeliveryMethods(ctx),
  };
  return withErrorMapping(store, hooks.mapError);
}

function withErrorMapping(store: Store, mapError: (err: unknown) => unknown): Store {
  const wrapped: Record<string, unknown> = { dialect: store.dialect };
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw mapError(err);
      }
    };
  }
  return wrapped as unknown as Store;
}
