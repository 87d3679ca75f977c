import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentTag } from '@slipway/core';
import { registryUnavailable, testRegistry } from '@slipway/testkit';
import { createOciRegistry } from './index.js';

const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Pushes a one-layer image manifest by hand (the Distribution API, no Docker), returning its digest. */
async function pushImage(repository: string, tag: string): Promise<string> {
  const name = repository.slice(repository.indexOf('/') + 1);
  const base = `http://${testRegistry}/v2/${name}`;
  const upload = async (bytes: Uint8Array) => {
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' });
    const url = new URL(start.headers.get('location')!, base);
    url.searchParams.set('digest', sha256(bytes));
    expect((await fetch(url, { method: 'PUT', body: bytes })).status).toBe(201);
    return { digest: sha256(bytes), size: bytes.length };
  };
  const config = new TextEncoder().encode('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  const layer = randomBytes(64);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await upload(config)) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...(await upload(layer)) }],
  });
  const res = await fetch(`${base}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  expect(res.status).toBe(201);
  return res.headers.get('docker-content-digest')!;
}

describe.skipIf(registryUnavailable())('OciRegistry on the Distribution registry', () => {
  const registry = createOciRegistry();
  const repository = `${testRegistry}/slipway-test/attach-${randomBytes(3).toString('hex')}`;

  it('resolves tags and digests, and says undefined for what is not there', async () => {
    const digest = await pushImage(repository, 'v1');
    expect(await registry.resolve(repository, 'v1')).toBe(digest);
    expect(await registry.resolve(repository, digest)).toBe(digest);
    expect(await registry.resolve(repository, 'missing')).toBeUndefined();
    expect(await registry.resolve(repository, `sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('attaches documents under the cosign tag scheme and reads them back; a new attachment replaces the old', async () => {
    const digest = await pushImage(repository, 'v2');
    const doc = { mediaType: 'application/vnd.dsse.envelope.v1+json', content: new TextEncoder().encode('{"payloadType":"x","payload":"","signatures":[]}') };
    const ref = await registry.attach({ repository, subject: digest, suffix: 'att', artifactType: doc.mediaType, documents: [doc] });
    expect(ref).toBe(`${repository}:${attachmentTag(digest, 'att')}`);
    expect(attachmentTag(digest, 'att')).toMatch(/^sha256-[0-9a-f]{64}\.att$/);
    expect(await registry.resolve(repository, attachmentTag(digest, 'att'))).toMatch(/^sha256:/);
    const back = await registry.attachments(repository, digest, 'att');
    expect(back?.map((d) => [d.mediaType, new TextDecoder().decode(d.content)])).toEqual([[doc.mediaType, new TextDecoder().decode(doc.content)]]);
    const other = { mediaType: doc.mediaType, content: new TextEncoder().encode('{"replaced":true}') };
    await registry.attach({ repository, subject: digest, suffix: 'att', artifactType: doc.mediaType, documents: [other] });
    expect((await registry.attachments(repository, digest, 'att'))?.map((d) => new TextDecoder().decode(d.content))).toEqual(['{"replaced":true}']);
    expect(await registry.attachments(repository, digest, 'sbom')).toBeUndefined();
  });

  it('refuses to attach to a digest the registry does not have', async () => {
    await expect(registry.attach({ repository, subject: `sha256:${'1'.repeat(64)}`, suffix: 'att', artifactType: 'x', documents: [] })).rejects.toMatchObject({ code: 'SLW_REGISTRY_FAILED' });
  });
});
