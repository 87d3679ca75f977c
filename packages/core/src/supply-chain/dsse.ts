import { z } from 'zod';

/** The payload type of an in-toto Statement in a DSSE envelope. */
export const inTotoPayloadType = 'application/vnd.in-toto+json';

export const dsseEnvelopeSchema = z
  .object({
    payloadType: z.string(),
    payload: z.string().describe('The signed bytes, base64.'),
    signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string().describe('ASN.1 DER ECDSA signature, base64.') })).min(1),
  })
  .describe('A DSSE v1 envelope (secure-systems-lab/dsse).');
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;

/**
 * DSSE's pre-authentication encoding, the bytes a signature covers:
 * `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths as ASCII decimal byte counts.
 */
export function preAuthEncoding(payloadType: string, body: Uint8Array): Uint8Array {
  const type = new TextEncoder().encode(payloadType);
  const head = new TextEncoder().encode(`DSSEv1 ${type.length} ${payloadType} ${body.length} `);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Standard or URL-safe base64 (DSSE verifiers must accept both), to bytes. */
export function fromBase64(value: string): Uint8Array {
  const standard = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
