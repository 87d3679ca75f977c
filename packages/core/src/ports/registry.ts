import type { RegistryAuth } from './image-builder.js';

/** A document attached to an image: one layer of the attachment manifest. */
export interface Attachment {
  mediaType: string;
  content: Uint8Array;
}

/**
 * The OCI registry port (Distribution API v2): resolves manifests and attaches documents (SBOM, signed provenance) to an
 * image under the cosign tag scheme, `<repository>:sha256-<hex>.<suffix>`, which every registry supports.
 * `repository` is `<registry host>/<name>`.
 */
export interface OciRegistry {
  /** The digest of the manifest `reference` (a tag or a digest) names; undefined when the registry has none. */
  resolve(repository: string, reference: string, auth?: RegistryAuth): Promise<string | undefined>;
  /** Pushes the documents as one manifest tagged `sha256-<hex>.<suffix>` for the subject; returns `repository:tag`. */
  attach(input: { repository: string; subject: string; suffix: string; artifactType: string; documents: Attachment[] }, auth?: RegistryAuth): Promise<string>;
  /** The documents attached to the subject under the suffix; undefined when there are none. */
  attachments(repository: string, subject: string, suffix: string, auth?: RegistryAuth): Promise<Attachment[] | undefined>;
}

/** The cosign-scheme tag of what is attached to a digest: `sha256:<hex>` + `att` → `sha256-<hex>.att`. */
export const attachmentTag = (digest: string, suffix: string): string => `${digest.replace(':', '-')}.${suffix}`;
