import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { GitHostKind } from './hosts.js';

/** Why a delivery was refused; recorded in the webhook.rejected event. Never the secret or the signature. */
export type RejectReason = 'signature-missing' | 'signature-mismatch' | 'secret-not-set' | 'no-project' | 'payload-invalid';

/** The header that authenticates a delivery from each host, lower case. Gitea's fork Forgejo sends its own name too. */
export const signatureHeaders: Record<GitHostKind, string[]> = {
  github: ['x-hub-signature-256'],
  gitlab: ['x-gitlab-token'],
  gitea: ['x-gitea-signature', 'x-forgejo-signature'],
};

/**
 * Checks a delivery against the secret, in constant time: GitHub signs the raw body with HMAC-SHA256 (`sha256=<hex>`),
 * Gitea and Forgejo with the same HMAC as bare hex, and GitLab sends the secret itself as a token.
 */
export function verifyDelivery(host: GitHostKind, header: (name: string) => string | undefined, body: Uint8Array, secret: string): true | RejectReason {
  const given = signatureHeaders[host].map(header).find((v) => v !== undefined && v !== '');
  if (given === undefined) return 'signature-missing';
  if (host === 'gitlab') return sameSecret(given, secret) ? true : 'signature-mismatch';
  const hex = host === 'github' ? (given.startsWith('sha256=') ? given.slice(7) : undefined) : given;
  if (hex === undefined || !/^[0-9a-f]{64}$/i.test(hex)) return 'signature-mismatch';
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex')) ? true : 'signature-mismatch';
}

/** Equality of two strings in time independent of where they differ, and of the length of the expected one. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
