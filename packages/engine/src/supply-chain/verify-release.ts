import type { KeyObject } from 'node:crypto';
import { provenanceStatementSchema, slipwayBuilderId, slipwayBuildType, type DsseEnvelope, dsseEnvelopeSchema, type Release, type ReleaseVerification, type VerificationCheck } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { verifyEnvelope, verifyWithSigstore } from './dsse.js';
import { registryAuth } from './registry-auth.js';

/**
 * Verifies every image of a release, offline for the signatures: the stored provenance's DSSE signature with Slipway's
 * public key (its own check, then sigstore-js), its subject digest against the digest the release pins, the builder
 * and build type; then that the registry has the image at that digest, a provenance attached to it that verifies the
 * same way, and the SBOM.
 */
export async function verifyRelease(ctx: EngineContext, release: Release): Promise<ReleaseVerification> {
  const key = ctx.images ? await ctx.images.signingKey() : undefined;
  const auth = ctx.images ? await registryAuth(ctx, release.projectId) : undefined;
  const services = [];
  for (const [service, svc] of Object.entries(release.services)) {
    const checks: VerificationCheck[] = [];
    const image = svc.image;
    if (!image) {
      checks.push({ check: 'image', passed: false, detail: 'no image: the release was made without `images` in slipway.yaml' });
    } else if (!key || !ctx.images) {
      checks.push({ check: 'image', passed: false, detail: 'this server has no image tools to verify with' });
    } else {
      checks.push({ check: 'image', passed: true, detail: image.reference });
      checks.push(...checkEnvelope(image.provenance, key.publicKey, image.digest, 'stored'));
      const repository = image.reference.slice(0, image.reference.indexOf('@'));
      const registry = ctx.images.registry;
      try {
        const found = await registry.resolve(repository, image.digest, auth);
        checks.push(found === image.digest ? { check: 'registry-image', passed: true, detail: `${repository} has ${image.digest.slice(0, 19)}…` } : { check: 'registry-image', passed: false, detail: `${repository} has no manifest ${image.digest}` });
        const attached = (await registry.attachments(repository, image.digest, 'att', auth)) ?? [];
        const verdicts = attached.map((doc) => {
          const parsed = dsseEnvelopeSchema.safeParse(safeJson(doc.content));
          return parsed.success ? checkEnvelope(parsed.data, key.publicKey, image.digest, 'attached') : [{ check: 'registry-provenance' as const, passed: false, detail: 'the attached document is not a DSSE envelope' }];
        });
        const good = verdicts.find((v) => v.every((c) => c.passed));
        checks.push(
          good
            ? { check: 'registry-provenance', passed: true, detail: `${image.attachments.provenance} verifies` }
            : { check: 'registry-provenance', passed: false, detail: attached.length === 0 ? `nothing attached at ${image.attachments.provenance}` : `the provenance attached at ${image.attachments.provenance} does not verify: ${verdicts.flat().find((c) => !c.passed)?.detail}` },
        );
        const sbom = await registry.attachments(repository, image.digest, 'sbom', auth);
        const bom = sbom?.[0] && (safeJson(sbom[0].content) as { bomFormat?: string; components?: unknown[] } | undefined);
        checks.push(bom?.bomFormat === 'CycloneDX' ? { check: 'sbom', passed: true, detail: `CycloneDX SBOM attached (${bom.components?.length ?? 0} component${bom.components?.length === 1 ? '' : 's'})` } : { check: 'sbom', passed: false, detail: `no CycloneDX SBOM at ${image.attachments.sbom}` });
      } catch (err) {
        checks.push({ check: 'registry-image', passed: false, detail: `cannot ask the registry: ${(err as Error).message}` });
      }
    }
    services.push({ service, reference: image?.reference ?? null, verified: checks.every((c) => c.passed), checks });
  }
  return { releaseId: release.id, version: release.version, verified: services.every((s) => s.verified), keyid: key?.keyid ?? null, publicKey: key?.publicPem ?? null, services };
}

/** Signature (both checks), subject digest and builder of one envelope. */
function checkEnvelope(envelope: DsseEnvelope, publicKey: KeyObject, digest: string, which: string): VerificationCheck[] {
  const own = verifyEnvelope(envelope, publicKey);
  const sigstore = verifyWithSigstore(envelope, publicKey);
  const checks: VerificationCheck[] = [
    own.ok ? { check: 'signature', passed: true, detail: `${which} provenance: DSSE signature verifies (ECDSA P-256)` } : { check: 'signature', passed: false, detail: `${which} provenance: ${own.reason}` },
    sigstore.ok ? { check: 'sigstore', passed: true, detail: `${which} provenance verifies with sigstore-js` } : { check: 'sigstore', passed: false, detail: `${which} provenance: sigstore-js: ${sigstore.reason}` },
  ];
  if (!own.ok) return checks;
  const statement = provenanceStatementSchema.safeParse(own.statement);
  if (!statement.success) return [...checks, { check: 'subject', passed: false, detail: `${which} provenance is not an in-toto Statement v1 with a SLSA v1 predicate` }];
  const hex = digest.split(':')[1];
  const matches = statement.data.subject.some((s) => s.digest.sha256 === hex);
  const { builder } = statement.data.predicate.runDetails;
  const buildType = statement.data.predicate.buildDefinition.buildType;
  return [
    ...checks,
    matches ? { check: 'subject', passed: true, detail: `${which} provenance's subject is ${digest.slice(0, 19)}…` } : { check: 'subject', passed: false, detail: `${which} provenance's subject (${statement.data.subject.map((s) => s.digest.sha256?.slice(0, 12)).join(', ')}…) is not the release's image ${digest.slice(0, 19)}…` },
    builder.id === slipwayBuilderId && buildType === slipwayBuildType ? { check: 'builder', passed: true, detail: `built by ${builder.id}` } : { check: 'builder', passed: false, detail: `unexpected builder ${builder.id} (${buildType})` },
  ];
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
