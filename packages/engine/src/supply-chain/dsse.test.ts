import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { preAuthEncoding, provenanceStatement, type DsseEnvelope } from '@slipway/core';
import { keyIdOf } from './signing-key.js';
import { signStatement, verifyEnvelope, verifyWithSigstore } from './dsse.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const statement = provenanceStatement({
  image: '127.0.0.1:5001/demo/api',
  digest,
  repoUrl: '/srv/git/demo',
  commitSha: 'c0ffee'.padEnd(40, '0'),
  service: 'api',
  builder: 'node',
  context: 'services/api',
  buildArgs: {},
  inputsHash: '0123456789abcdef',
  runIds: ['run_1'],
  invocationId: 'rel_1/api',
  startedOn: '2026-11-26T10:00:00.000Z',
  finishedOn: '2026-11-26T10:00:01.000Z',
  slipwayVersion: '0.1.0',
});

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, keyid: keyIdOf(publicKey) };
}

/** The envelope with one character of the subject digest changed inside the signed payload. */
function tamperSubject(envelope: DsseEnvelope): DsseEnvelope {
  const text = Buffer.from(envelope.payload, 'base64').toString('utf8');
  const at = text.indexOf('ab'.repeat(32));
  const changed = `${text.slice(0, at)}b${text.slice(at + 1)}`;
  return { ...envelope, payload: Buffer.from(changed).toString('base64') };
}

describe('DSSE signing', () => {
  it('encodes the PAE as the DSSE test vector does', () => {
    expect(new TextDecoder().decode(preAuthEncoding('http://example.com/HelloWorld', new TextEncoder().encode('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('verifies with its own check and with sigstore-js, offline', () => {
    const key = keys();
    const envelope = signStatement(statement, key);
    const own = verifyEnvelope(envelope, key.publicKey);
    expect(own).toEqual({ ok: true, statement });
    expect(verifyWithSigstore(envelope, key.publicKey)).toEqual({ ok: true });
    // URL-safe base64 is accepted too.
    expect(verifyEnvelope({ ...envelope, payload: envelope.payload.replace(/\+/g, '-').replace(/\//g, '_') }, key.publicKey).ok).toBe(true);
  });

  it('refuses a changed subject digest, another key and another payload type, in both checks', () => {
    const key = keys();
    const envelope = signStatement(statement, key);
    const tampered = tamperSubject(envelope);
    expect(verifyEnvelope(tampered, key.publicKey)).toMatchObject({ ok: false, reason: expect.stringContaining('no signature verifies') });
    expect(verifyWithSigstore(tampered, key.publicKey)).toMatchObject({ ok: false });
    const other = keys();
    expect(verifyEnvelope(envelope, other.publicKey).ok).toBe(false);
    expect(verifyWithSigstore(envelope, other.publicKey).ok).toBe(false);
    expect(verifyEnvelope({ ...envelope, payloadType: 'text/plain' }, key.publicKey).ok).toBe(false);
  });
});
