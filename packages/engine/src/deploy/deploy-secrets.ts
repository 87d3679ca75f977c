import type { EnvironmentRecord, Release } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { referencedSecrets, type DeploySecrets } from './desired-state.js';

/** The values and versions of the secrets the release's services reference here, or the names that are not set. */
export async function deploySecrets(ctx: EngineContext, env: EnvironmentRecord, release: Release): Promise<DeploySecrets | { missing: string[] }> {
  const names = referencedSecrets(release, env);
  if (names.length === 0) return { values: {}, versions: {} };
  const values = (await ctx.secrets?.(release.projectId, names)) ?? {};
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) return { missing };
  // A project secret wins over a global one of the same name, as when they are resolved.
  const versions: Record<string, string> = {};
  for (const s of [...(await ctx.store.listSecrets(null)), ...(await ctx.store.listSecrets(release.projectId))]) if (names.includes(s.name)) versions[s.name] = s.updatedAt;
  return { values, versions };
}

