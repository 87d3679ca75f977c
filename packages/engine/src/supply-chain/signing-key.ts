import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SlipwayError, type Store } from '@slipway/core';
import type { SecretBox } from '../secrets/secret-box.js';

/** The global secret that holds Slipway's signing key (PKCS#8 PEM, ECDSA P-256). Set it to bring your own key. */
export const signingKeySecret = 'SLIPWAY_SIGNING_KEY';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKIX PEM (`BEGIN PUBLIC KEY`), what cosign and sigstore-js take. */
  publicPem: string;
  /** Hex SHA-256 of the public key's SPKI DER: the DSSE `keyid` hint. */
  keyid: string;
}

/** The keyid of a public key: hex SHA-256 of its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SlipwayError('SLW_CONFIG_INVALID', `the secret ${signingKeySecret} is not an ECDSA P-256 private key`, { hint: 'Generate one with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`, or delete the secret to let Slipway make one.' });
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyid: keyIdOf(publicKey) };
}

/**
 * Slipway's signing key, kept sealed as the global secret SLIPWAY_SIGNING_KEY and made at first use, so that every
 * server of one database signs with the same key and a user can bring their own. Read once per process.
 */
export function createSigningKeys(store: Store, box: SecretBox): () => Promise<SigningKey> {
  let key: Promise<SigningKey> | undefined;
  const load = async (): Promise<SigningKey> => {
    const [found] = await store.getSecrets(null, [signingKeySecret]);
    if (found) return signingKeyFromPem(box.open(found.ciphertext));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await store.putSecret({ projectId: null, name: signingKeySecret, ciphertext: box.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) });
    // Two servers may have raced: read back the one that was kept.
    const [kept] = await store.getSecrets(null, [signingKeySecret]);
    return signingKeyFromPem(box.open(kept!.ciphertext));
  };
  return () => (key ??= load().catch((err: unknown) => {
    key = undefined;
    throw err;
  }));
}
