import type { RegistryAuth } from '@slipway/core';
import type { EngineContext } from '../context.js';

/** The project's registry credentials (secrets REGISTRY_USERNAME and REGISTRY_PASSWORD), or none. */
export async function registryAuth(ctx: EngineContext, projectId: string): Promise<RegistryAuth | undefined> {
  const values = (await ctx.secrets?.(projectId, ['REGISTRY_USERNAME', 'REGISTRY_PASSWORD'])) ?? {};
  return values.REGISTRY_USERNAME && values.REGISTRY_PASSWORD ? { username: values.REGISTRY_USERNAME, password: values.REGISTRY_PASSWORD } : undefined;
}
