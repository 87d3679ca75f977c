import type { NewEvent } from '@slipway/core';
import type { EngineContext } from '../context.js';

/**
 * Emits an event unless the log already has one of its kind and subject whose `data[field]` is the same: a step that
 * runs again after a crash does not say the same thing twice.
 */
export async function emitOnce(ctx: Pick<EngineContext, 'store' | 'bus'>, event: NewEvent, field: string): Promise<void> {
  const seen = await ctx.store.listEvents({ ...(event.subject ? { subject: event.subject } : {}), kinds: [event.kind], newest: true, limit: 200 });
  if (seen.some((e) => e.data[field] === event.data?.[field])) return;
  await ctx.bus.emit(event);
}
