import type { Store } from '@slipway/core';
import { createSecretResolver, type SecretBox } from '@slipway/engine';
import type { GitCredentials } from '@slipway/integration-git';

/** The secrets that authenticate to a project's git remote: a token (with an optional username), or an ssh key. */
export const gitSecretNames = ['GIT_TOKEN', 'GIT_USERNAME', 'GIT_SSH_KEY'] as const;

/**
 * Reads a project's git credentials from its secrets (else the global ones) when the git source asks, before each remote
 * operation, so that a rotated secret applies to the next fetch. Nothing is cached or logged.
 */
export function gitCredentials(store: Store, box: SecretBox): (projectId: string) => Promise<GitCredentials | undefined> {
  const resolver = createSecretResolver(store, box);
  return async (projectId) => {
    const found = await resolver.resolve(projectId, [...gitSecretNames]);
    if (found.GIT_SSH_KEY) return { sshKey: found.GIT_SSH_KEY };
    if (found.GIT_TOKEN) return { token: found.GIT_TOKEN, ...(found.GIT_USERNAME ? { username: found.GIT_USERNAME } : {}) };
    return undefined;
  };
}
