import type { Role } from '@slipway/core';

/** Per-request values the middleware sets for the routes. */
export interface AppEnv {
  Variables: {
    role: Role;
    tokenName: string | null;
  };
}
