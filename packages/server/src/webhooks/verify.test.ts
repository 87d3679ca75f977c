import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDelivery } from './verify.js';

const secret = "It's a Secret to Everybody";
const body = new TextEncoder().encode('Hello, World!');
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('verifyDelivery', () => {
  it('accepts GitHub\'s documented test vector (HMAC-SHA256 of the raw body, sha256=hex)', () => {
    // From GitHub's "Validating webhook deliveries": this secret and payload give this signature.
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyDelivery('github', headers({ 'x-hub-signature-256': sig }), body, secret)).toBe(true);
  });

  it.each([
    ['github', {}, 'signature-missing'],
    ['github', { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, 'signature-mismatch'],
    ['github', { 'x-hub-signature-256': 'sha1=abc' }, 'signature-mismatch'],
    ['github', { 'x-hub-signature-256': 'sha256=zz' }, 'signature-mismatch'],
    ['gitea', { 'x-gitea-signature': 'sha256=' + hmac(secret) }, 'signature-mismatch'],
    ['gitlab', { 'x-gitlab-token': 'wrong' }, 'signature-mismatch'],
    ['gitlab', { 'x-gitlab-token': '' }, 'signature-missing'],
  ] as const)('%s with %j → %s', (host, h, reason) => {
    expect(verifyDelivery(host, headers(h), body, secret)).toBe(reason);
  });

  it('accepts Gitea\'s and Forgejo\'s bare hex HMAC, and GitLab\'s token', () => {
    expect(verifyDelivery('gitea', headers({ 'x-gitea-signature': hmac(secret) }), body, secret)).toBe(true);
    expect(verifyDelivery('gitea', headers({ 'x-forgejo-signature': hmac(secret).toUpperCase() }), body, secret)).toBe(true);
    expect(verifyDelivery('gitea', headers({ 'x-gitea-signature': hmac('other') }), body, secret)).toBe('signature-mismatch');
    expect(verifyDelivery('gitlab', headers({ 'x-gitlab-token': secret }), body, secret)).toBe(true);
  });

  it('checks the bytes as sent: one changed byte fails', () => {
    const sig = 'sha256=' + hmac(secret);
    expect(verifyDelivery('github', headers({ 'x-hub-signature-256': sig }), new TextEncoder().encode('Hello, World?'), secret)).toBe('signature-mismatch');
  });
});

function hmac(key: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}
