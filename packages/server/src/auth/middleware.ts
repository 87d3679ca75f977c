import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { roleAllows, SlipwayError, type Role, type Store } from '@slipway/core';
import type { AppEnv } from '../http/env.js';
import { hashToken } from './tokens.js';

export interface AuthOptions {
  store: Store;
  /** Loopback embedded default: requests without a token act as admin. */
  openLoopback: boolean;
}

/** Webhook receivers: git hosts send no API token; each delivery is checked against the project's webhook secret instead. */
const hostSigned = /^\/api\/webhooks\/[a-z]+$/;

/** Finds the caller's token (header, cookie, or `access_token` for EventSource) and sets the role. */
export function authenticate(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'POST' && hostSigned.test(c.req.path)) {
      // The least role, so that nothing a webhook handler might call by mistake is allowed by the role.
      c.set('role', 'viewer');
      c.set('tokenName', null);
      return next();
    }
    const header = c.req.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (c.req.query('access_token') ?? getCookie(c, 'slipway_token'));
    if (token) {
      const found = await options.store.findTokenByHash(hashToken(token));
      if (!found) throw new SlipwayError('SLW_AUTH_REQUIRED', 'the API token is not valid', { hint: 'Check the token, or create a new one with `slipway tokens create`.' });
      void options.store.touchToken(found.id).catch(() => {});
      c.set('role', found.role);
      c.set('tokenName', found.name);
    } else if (options.openLoopback) {
      c.set('role', 'admin');
      c.set('tokenName', null);
    } else {
      throw new SlipwayError('SLW_AUTH_REQUIRED', 'this server requires an API token');
    }
    await next();
  };
}

/** Refuses the request unless the caller's role allows `need`. */
export function requireRole(need: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const have = c.get('role');
    if (!roleAllows(have, need)) throw new SlipwayError('SLW_AUTH_FORBIDDEN', `role ${have} cannot do this; it needs ${need}`);
    await next();
  };
}
