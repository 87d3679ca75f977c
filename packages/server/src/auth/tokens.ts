import { createHash, randomBytes } from 'node:crypto';

/** API tokens are 32 random bytes; only their SHA-256 is stored, so a database leak reveals no usable token. */
export function newToken(): string {
  return `slw_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
