import { secretNameProblem, SlipwayError, type Store } from '@slipway/core';
import type { SecretBox } from './secret-box.js';

/** Gives the runner the plaintext of the secrets a job references. */
export interface SecretResolver {
  /**
   * Values by the names as asked (names are case-insensitive): the project's own secret, else the global one. Names that
   * are not set, or that no secret can have (GITHUB_TOKEN, which the runner sets itself), are left out; the runner decides
   * whether a missing secret fails the step.
   */
  resolve(projectId: string | null, names: string[]): Promise<Record<string, string>>;
}

export function createSecretResolver(store: Store, box: SecretBox): SecretResolver {
  return {
    async resolve(projectId, names) {
      const valid = names.filter((n) => secretNameProblem(n) === undefined);
      const sealed = await store.getSecrets(projectId, valid);
      const plain = new Map<string, string>();
      for (const s of sealed) {
        try {
          plain.set(s.name, box.open(s.ciphertext));
        } catch (err) {
          // Name the secret (names are not secret) so that the user knows which one to set again.
          if (err instanceof SlipwayError) throw new SlipwayError(err.code, `secret ${s.name} (${s.projectId ? `project ${s.projectId}` : 'global'}): ${err.message}`, { hint: err.hint });
          throw err;
        }
      }
      // No prototype: `__proto__` is a valid secret name, and must be a plain key here.
      const values = Object.create(null) as Record<string, string>;
      for (const n of valid) {
        const value = plain.get(n.toUpperCase());
        if (value !== undefined) values[n] = value;
      }
      return values;
    },
  };
}
