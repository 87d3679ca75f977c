import { z } from 'zod';
import { SlipwayError } from '../errors/slipway-error.js';

/** GitHub's rules for secret names: letters, digits and underscores, not starting with a digit. */
const secretNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` is not a valid secret name, or undefined when it is. */
export function secretNameProblem(name: string): string | undefined {
  if (!secretNamePattern.test(name)) return 'it may hold only letters, digits and underscores, and must not start with a digit';
  // GitHub reserves the prefix for the names it sets itself (GITHUB_TOKEN); Slipway sets the same ones.
  if (name.toUpperCase().startsWith('GITHUB_')) return 'the GITHUB_ prefix is reserved';
  return undefined;
}

/**
 * The stored form of a secret name: upper case, because names are case-insensitive (as on GitHub), so `npm_token` and
 * `NPM_TOKEN` are one secret. Throws SLW_SECRET_NAME_INVALID for a name GitHub would refuse.
 */
export function normalizeSecretName(name: string): string {
  const problem = secretNameProblem(name);
  if (problem) throw new SlipwayError('SLW_SECRET_NAME_INVALID', `secret name "${name}" is invalid: ${problem}`);
  return name.toUpperCase();
}

/** A secret as lists show it: its name and scope, never its value. */
export const secretSchema = z.object({
  name: z.string().describe('Upper case; names are case-insensitive.'),
  projectId: z.string().nullable().describe('The project the secret belongs to; null for a global secret that every project sees.'),
  updatedAt: z.string().describe('When the value was last set.'),
});
export type SecretSummary = z.infer<typeof secretSchema>;

/** A secret as the store keeps it: the value sealed by the engine's secret box. */
export interface SealedSecret {
  name: string;
  projectId: string | null;
  ciphertext: string;
}
