import { sign, verify, type KeyObject } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { fromBase64, inTotoPayloadType, preAuthEncoding, toBase64, type DsseEnvelope } from '@slipway/core';
import { keyIdOf } from './signing-key.js';

/** Signs a statement as a DSSE envelope: ECDSA P-256 over SHA-256 of the PAE, ASN.1 DER (as sigstore and cosign expect). */
export function signStatement(statement: unknown, key: { privateKey: KeyObject; keyid: string }): DsseEnvelope {
  const body = new TextEncoder().encode(JSON.stringify(statement));
  const sig = sign('sha256', preAuthEncoding(inTotoPayloadType, body), key.privateKey);
  return { payloadType: inTotoPayloadType, payload: toBase64(body), signatures: [{ keyid: key.keyid, sig: sig.toString('base64') }] };
}

export type EnvelopeCheck = { ok: true; statement: unknown } | { ok: false; reason: string };

/**
 * Slipway's own DSSE check: some signature verifies over the PAE of the payload with the public key. The statement is
 * parsed from the very bytes that were verified, never re-encoded.
 */
export function verifyEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): EnvelopeCheck {
  if (envelope.payloadType !== inTotoPayloadType) return { ok: false, reason: `payload type ${envelope.payloadType} is not ${inTotoPayloadType}` };
  const body = fromBase64(envelope.payload);
  const pae = preAuthEncoding(envelope.payloadType, body);
  const good = envelope.signatures.some((s) => {
    try {
      return verify('sha256', pae, publicKey, fromBase64(s.sig));
    } catch {
      return false;
    }
  });
  if (!good) return { ok: false, reason: `no signature verifies with key ${keyIdOf(publicKey).slice(0, 16)}…` };
  try {
    return { ok: true, statement: JSON.parse(new TextDecoder().decode(body)) };
  } catch {
    return { ok: false, reason: 'the signed payload is not JSON' };
  }
}

/** The envelope as a Sigstore bundle v0.3 with a public-key hint: the form sigstore-js and cosign verify. */
export function sigstoreBundle(envelope: DsseEnvelope, keyid: string): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: keyid }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    dsseEnvelope: { payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures.map((s) => ({ keyid: s.keyid ?? '', sig: s.sig })) },
  };
}

/** The same check by sigstore-js (@sigstore/verify), offline: a public key, no transparency log, no timestamps. */
export function verifyWithSigstore(envelope: DsseEnvelope, publicKey: KeyObject): { ok: true } | { ok: false; reason: string } {
  const keyid = keyIdOf(publicKey);
  try {
    const entity = toSignedEntity(bundleFromJSON(sigstoreBundle(envelope, keyid)));
    const trust = toTrustMaterial(emptyTrustedRoot, (hint) => {
      if (hint !== keyid) throw new Error(`unknown key ${hint.slice(0, 16)}…`);
      return { publicKey, validFor: () => true };
    });
    new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

const emptyTrustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
} as unknown as Parameters<typeof toTrustMaterial>[0];
