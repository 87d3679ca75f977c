import type { Context } from 'hono';
import { toHttpStatus, toSlipwayError } from '@slipway/core';
import type { Logger } from '@slipway/engine';

/** The one mapping from errors to HTTP responses: `{ error: { code, message, hint } }`. Internal details stay in the log. */
export function errorResponse(err: unknown, c: Context, logger: Logger): Response {
  const e = toSlipwayError(err);
  const status = toHttpStatus(e);
  if (e.code === 'SLW_INTERNAL') logger.error({ path: c.req.path, stack: (err as Error)?.stack }, `internal error: ${e.message}`);
  else if (status === 401 || status === 403) logger.warn({ path: c.req.path, method: c.req.method, code: e.code }, 'request refused');
  const body = { error: e.code === 'SLW_INTERNAL' ? { code: e.code, message: 'internal error', hint: e.hint } : e.toJSON() };
  return c.json(body, status as 400);
}
