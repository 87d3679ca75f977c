import { z } from 'zod';
import { dsseEnvelopeSchema } from '../supply-chain/dsse.js';

export const releaseImageSchema = z
  .object({
    reference: z.string().describe('`<registry>/<repository>/<service>@sha256:…`: what a target runs. Never a tag.'),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/).describe('Digest of the image manifest in the registry.'),
    builder: z.enum(['dockerfile', 'node']).describe('`dockerfile`: the service\'s Dockerfile; `node`: the zero-config Node.js builder.'),
    inputsHash: z.string().describe('Content hash of the build inputs; a later release with the same hash reuses this image (no build, no push).'),
    sbom: z.record(z.string(), z.unknown()).describe('The SBOM of the image, CycloneDX 1.5 JSON.'),
    provenance: dsseEnvelopeSchema.describe('The SLSA v1 provenance of the image, signed by Slipway\'s key, as a DSSE envelope.'),
    attachments: z
      .object({ provenance: z.string(), sbom: z.string() })
      .describe('Registry references (cosign tag scheme, `sha256-<hex>.att` and `.sbom`) where the provenance and the SBOM are attached.'),
  })
  .describe('The OCI image of a service, when the project builds images.');
export type ReleaseImage = z.infer<typeof releaseImageSchema>;

export const releaseServiceSchema = z.object({
  revision: z.string().describe('Content hash of the service: its source tree, shared paths and config. Equal revisions need no redeploy.'),
  commitSha: z.string().describe('Commit the service was built from.'),
  artifact: z.string().describe('Where the built artifact lives (a directory for the local target).'),
  config: z.record(z.string(), z.unknown()).describe('The service config rendered for this release.'),
  image: releaseImageSchema.optional(),
});
export type ReleaseService = z.infer<typeof releaseServiceSchema>;

export const releaseSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  version: z.number().int().describe('Sequence number of the release in its project.'),
  commitSha: z.string(),
  services: z.record(z.string(), releaseServiceSchema),
  changedServices: z.array(z.string()).describe('Services whose revision differs from the previous release.'),
  config: z.record(z.string(), z.unknown()).nullable().describe('Snapshot of slipway.yaml as rendered (defaults applied) at the commit; null for releases made before it was kept.'),
  runIds: z.array(z.string()).describe('The CI runs of the commit whose success made the release.'),
  createdAt: z.string(),
});
export type Release = z.infer<typeof releaseSchema>;
