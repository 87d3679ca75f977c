import { z } from 'zod';

export const verificationCheckSchema = z.object({
  check: z.enum(['image', 'signature', 'sigstore', 'subject', 'builder', 'registry-image', 'registry-provenance', 'sbom']),
  passed: z.boolean(),
  detail: z.string(),
});
export type VerificationCheck = z.infer<typeof verificationCheckSchema>;

export const releaseVerificationSchema = z
  .object({
    releaseId: z.string(),
    version: z.number().int(),
    verified: z.boolean().describe('Every check of every service passed.'),
    keyid: z.string().nullable().describe("The keyid of Slipway's public key the signatures were checked with."),
    publicKey: z.string().nullable().describe('That public key, PKIX PEM: verify offline with cosign or sigstore-js.'),
    services: z.array(
      z.object({
        service: z.string(),
        reference: z.string().nullable(),
        verified: z.boolean(),
        checks: z.array(verificationCheckSchema),
      }),
    ),
  })
  .describe("What `slipway verify` reports: for each service's image, the provenance's signature (Slipway's DSSE check and sigstore-js), its subject digest against the release, the builder, and what the registry holds.");
export type ReleaseVerification = z.infer<typeof releaseVerificationSchema>;
