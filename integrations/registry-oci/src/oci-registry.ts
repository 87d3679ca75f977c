import { createHash } from 'node:crypto';
import { attachmentTag, SlipwayError, type Attachment, type OciRegistry, type RegistryAuth } from '@slipway/core';

const manifestTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
// The config of an attachment manifest: an empty image config, as cosign writes it, which every registry accepts.
const emptyConfig = new TextEncoder().encode('{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}');

export interface OciRegistryOptions {
  /** Whether to talk plain HTTP to a registry host. Default: loopback hosts only. */
  insecure?: (host: string) => boolean;
  fetch?: typeof fetch;
}

const loopback = (host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The OCI registry over the Distribution API v2 with `fetch`: HEAD for digests, monolithic blob uploads, manifests
 * under the cosign tag scheme for attachments. Basic credentials are sent as they are or traded for a bearer token
 * when the registry asks for one (`WWW-Authenticate: Bearer realm=…`). Credentials never appear in an error.
 */
export function createOciRegistry(options: OciRegistryOptions = {}): OciRegistry {
  const insecure = options.insecure ?? loopback;
  const doFetch = options.fetch ?? fetch;
  const tokens = new Map<string, string>();

  const split = (repository: string) => {
    const slash = repository.indexOf('/');
    if (slash < 0) throw new SlipwayError('SLW_CONFIG_INVALID', `${repository} is not <registry host>/<name>`);
    const host = repository.slice(0, slash);
    return { host, name: repository.slice(slash + 1), base: `${insecure(host) ? 'http' : 'https'}://${host}/v2/${repository.slice(slash + 1)}` };
  };

  async function request(repository: string, path: string, init: RequestInit, auth?: RegistryAuth): Promise<Response> {
    const { base } = split(repository);
    const url = path.startsWith('http') ? path : `${base}${path}`;
    const send = (authorization?: string) =>
      doFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(authorization ? { authorization } : {}) }, redirect: 'follow' });
    const basic = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
    const cached = tokens.get(repository);
    let res = await send(cached ? `Bearer ${cached}` : basic);
    if (res.status !== 401) return res;
    const challenge = res.headers.get('www-authenticate') ?? '';
    await res.body?.cancel();
    const bearer = /^Bearer\s+(.*)$/i.exec(challenge);
    if (!bearer) return basic && !cached ? res : send(basic);
    const params = Object.fromEntries([...bearer[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const tokenUrl = new URL(params.realm ?? '');
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${split(repository).name}:pull,push`);
    const tokenRes = await doFetch(tokenUrl, { headers: basic ? { authorization: basic } : {} });
    if (!tokenRes.ok) throw new SlipwayError('SLW_REGISTRY_FAILED', `the registry's token service refused ${split(repository).host} (HTTP ${tokenRes.status})`);
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token ?? '';
    tokens.set(repository, token);
    res = await send(`Bearer ${token}`);
    return res;
  }

  const fail = async (what: string, res: Response): Promise<never> => {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    throw new SlipwayError('SLW_REGISTRY_FAILED', `${what}: HTTP ${res.status}${text ? ` ${text.trim()}` : ''}`);
  };

  // Blobs this process saw in a repository (the attachments' shared empty config): not asked for again.
  const known = new Set<string>();

  async function pushBlob(repository: string, bytes: Uint8Array, auth?: RegistryAuth): Promise<string> {
    const digest = sha256(bytes);
    if (known.has(`${repository}@${digest}`)) return digest;
    const head = await request(repository, `/blobs/${digest}`, { method: 'HEAD' }, auth);
    if (head.ok) {
      known.add(`${repository}@${digest}`);
      return digest;
    }
    const start = await request(repository, '/blobs/uploads/', { method: 'POST' }, auth);
    if (start.status !== 202) await fail(`cannot start a blob upload to ${repository}`, start);
    const location = new URL(start.headers.get('location') ?? '', `${split(repository).base}/`);
    location.searchParams.set('digest', digest);
    const put = await request(repository, location.toString(), { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } }, auth);
    if (put.status !== 201) await fail(`cannot upload a blob to ${repository}`, put);
    known.add(`${repository}@${digest}`);
    return digest;
  }

  async function getManifest(repository: string, reference: string, auth?: RegistryAuth): Promise<{ digest: string; body: Uint8Array; mediaType: string } | undefined> {
    const res = await request(repository, `/manifests/${reference}`, { headers: { accept: manifestTypes } }, auth);
    if (res.status === 404) return undefined;
    if (!res.ok) await fail(`cannot read the manifest ${repository}:${reference}`, res);
    const body = new Uint8Array(await res.arrayBuffer());
    return { digest: res.headers.get('docker-content-digest') ?? sha256(body), body, mediaType: res.headers.get('content-type') ?? ociManifest };
  }

  return {
    async resolve(repository, reference, auth) {
      const res = await request(repository, `/manifests/${reference}`, { method: 'HEAD', headers: { accept: manifestTypes } }, auth);
      if (res.status === 404) return undefined;
      if (!res.ok) await fail(`cannot resolve ${repository}:${reference}`, res);
      return res.headers.get('docker-content-digest') ?? undefined;
    },

    async attach(input, auth) {
      // The subject's manifest and the blobs do not depend on one another: asked for at once, an attachment costs the
      // longest of them (a document's HEAD, POST and PUT) and the manifest's PUT, not the sum of six round trips. The
      // errors are reported in the order they were checked in one after another: a missing subject first.
      const [subjectResult, configResult, layersResult] = await Promise.allSettled([
        getManifest(input.repository, input.subject, auth),
        pushBlob(input.repository, emptyConfig, auth),
        Promise.all(input.documents.map(async (doc) => ({ mediaType: doc.mediaType, digest: await pushBlob(input.repository, doc.content, auth), size: doc.content.length }))),
      ]);
      const subject = settled(subjectResult);
      if (!subject) throw new SlipwayError('SLW_REGISTRY_FAILED', `cannot attach to ${input.repository}@${input.subject}: the registry has no such manifest`);
      const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: settled(configResult), size: emptyConfig.length };
      const layers = settled(layersResult);
      const manifest = {
        schemaVersion: 2,
        mediaType: ociManifest,
        artifactType: input.artifactType,
        config,
        layers,
        // OCI 1.1 referrers: registries that know `subject` index it; older ones keep it as data, and the tag finds it.
        subject: { mediaType: subject.mediaType, digest: input.subject, size: subject.body.length },
      };
      const tag = attachmentTag(input.subject, input.suffix);
      const res = await request(input.repository, `/manifests/${tag}`, { method: 'PUT', body: JSON.stringify(manifest), headers: { 'content-type': ociManifest } }, auth);
      if (res.status !== 201) await fail(`cannot attach ${input.suffix} to ${input.repository}@${input.subject}`, res);
      return `${input.repository}:${tag}`;
    },

    async attachments(repository, subject, suffix, auth) {
      const found = await getManifest(repository, attachmentTag(subject, suffix), auth);
      if (!found) return undefined;
      const manifest = JSON.parse(new TextDecoder().decode(found.body)) as { layers?: { mediaType: string; digest: string }[] };
      const docs: Attachment[] = [];
      for (const layer of manifest.layers ?? []) {
        const res = await request(repository, `/blobs/${layer.digest}`, {}, auth);
        if (!res.ok) await fail(`cannot read ${layer.digest} of ${repository}`, res);
        docs.push({ mediaType: layer.mediaType, content: new Uint8Array(await res.arrayBuffer()) });
      }
      return docs;
    },
  };
}

/** The value of a settled promise, or its error thrown. */
function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
