import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cycloneDxBom, provenanceStatement, SlipwayError, type ImagesConfig, type Project, type ReleaseImage, type ServiceConfig } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import { signStatement } from '../supply-chain/dsse.js';
import { registryAuth } from '../supply-chain/registry-auth.js';

export const dsseMediaType = 'application/vnd.dsse.envelope.v1+json';
export const cycloneDxMediaType = 'application/vnd.cyclonedx+json';

export interface ImageBuildRequest {
  project: Project;
  images: ImagesConfig;
  projectName: string;
  service: string;
  spec: ServiceConfig;
  /** The service's content hash: the image's tag and its `inputsHash`. */
  revision: string;
  /** The checkout of the commit (after the service's build command), as the release's artifact holds it. */
  root: string;
  sha: string;
  runIds: string[];
}

/** `<registry>/<repository>/<service>`: where a service's images go. */
export const imageRepository = (images: ImagesConfig, projectName: string, service: string): string => `${images.registry}/${images.repository ?? projectName}/${service}`;

/**
 * Builds the images of a release's changed services, one after another, each attaching its SBOM and provenance while
 * the next one builds. Resolves once every image is pushed and every attachment is in the registry; the first
 * failure rejects.
 */
export async function buildImages(ctx: EngineContext, requests: ImageBuildRequest[], signal: AbortSignal): Promise<Map<string, ReleaseImage>> {
  type Attached = { service: string; image?: ReleaseImage; error?: unknown };
  const attaching: Promise<Attached>[] = [];
  let failure: { error: unknown } | undefined;
  for (const req of requests) {
    try {
      const built = await buildImage(ctx, req, signal);
      // Settled at once, so that a failure while the next service builds is not an unhandled rejection.
      attaching.push(built.attach().then((image) => ({ service: req.service, image }), (error: unknown) => ({ service: req.service, error })));
    } catch (error) {
      failure = { error };
      break;
    }
  }
  // A failed build still waits for the attachments already started, so that nothing runs on after the job.
  const settled = await Promise.all(attaching);
  const first = failure ?? settled.find((s) => !s.image);
  if (first) throw first.error;
  return new Map(settled.map((s) => [s.service, s.image!]));
}

/**
 * Builds a service's image (its Dockerfile, or the zero-config Node.js builder: the built service on `images.base`),
 * pushes it, and makes its CycloneDX SBOM and its SLSA v1 provenance, signed as a DSSE envelope with Slipway's key.
 * `attach()` puts both in the registry under the cosign tag scheme and says the image was pushed. The image is known by
 * digest from here on.
 */
export async function buildImage(ctx: EngineContext, req: ImageBuildRequest, signal: AbortSignal): Promise<{ attach: () => Promise<ReleaseImage> }> {
  const tools = ctx.images;
  if (!tools) throw new SlipwayError('SLW_IMAGE_BUILD_FAILED', `cannot build ${req.service}: this server has no image builder`, { hint: 'Start the server where a Docker daemon answers.' });
  const startedOn = nowIso(ctx);
  const started = Date.now();
  const repository = imageRepository(req.images, req.projectName, req.service);
  const tag = `${repository}:${req.revision}`;
  const contextPath = req.spec.image?.context ?? req.spec.path;
  const context = join(req.root, contextPath);
  const zeroConfig = !req.spec.image?.dockerfile;
  const base = zeroConfig ? await tools.builder.inspect(req.images.base) : undefined;
  if (zeroConfig && !base) {
    throw new SlipwayError('SLW_IMAGE_BUILD_FAILED', `cannot build ${req.service}: the base image ${req.images.base} is not in the local Docker daemon`, { hint: 'Run `slipway images base` to build slipway/node:20 without pulling anything, or set images.base to an image the daemon has.' });
  }
  const log: string[] = [];
  await tools.builder.build(
    {
      context,
      tag,
      ...(zeroConfig
        ? { dockerfile: '.slipway.Dockerfile', dockerfileContent: nodeDockerfile(req.images.base, req.spec.command) }
        : { dockerfile: req.spec.image!.dockerfile!, ...(req.spec.image?.target ? { target: req.spec.image.target } : {}) }),
      ...(req.spec.image && Object.keys(req.spec.image.buildArgs).length > 0 ? { buildArgs: req.spec.image.buildArgs } : {}),
    },
    (line) => log.push(line),
    signal,
  );
  const auth = await registryAuth(ctx, req.project.id);
  const { digest, reference } = await tools.builder.push(tag, auth, (line) => log.push(line));
  const [packageJson, lockfile] = await Promise.all([readJson(join(context, 'package.json')), readJson(join(context, 'package-lock.json'))]);
  const sbom = cycloneDxBom({
    image: repository,
    digest,
    service: req.service,
    ...(packageJson ? { packageJson } : {}),
    ...(lockfile ? { lockfile } : {}),
    ...(base ? { base: { name: req.images.base, id: base.id } } : {}),
    timestamp: startedOn,
    serialNumber: `urn:uuid:${randomUUID()}`,
    toolVersion: tools.version,
  });
  const statement = provenanceStatement({
    image: repository,
    digest,
    repoUrl: req.project.repoUrl,
    commitSha: req.sha,
    service: req.service,
    builder: zeroConfig ? 'node' : 'dockerfile',
    ...(zeroConfig ? {} : { dockerfile: req.spec.image!.dockerfile! }),
    context: contextPath,
    ...(req.spec.image?.target ? { target: req.spec.image.target } : {}),
    buildArgs: req.spec.image?.buildArgs ?? {},
    ...(base ? { base: { name: req.images.base, id: base.id } } : {}),
    inputsHash: req.revision,
    runIds: req.runIds,
    invocationId: `${req.project.id}/${req.sha.slice(0, 12)}/${req.service}`,
    startedOn,
    finishedOn: nowIso(ctx),
    slipwayVersion: tools.version,
  });
  const provenance = signStatement(statement, await tools.signingKey());
  const attachOne = (suffix: string, mediaType: string, doc: unknown) =>
    tools.registry.attach({ repository, subject: digest, suffix, artifactType: mediaType, documents: [{ mediaType, content: new TextEncoder().encode(JSON.stringify(doc)) }] }, auth);
  const emit = (attachments: ReleaseImage['attachments']) =>
    ctx.bus.emit({
      kind: 'image.pushed',
      projectId: req.project.id,
      subject: `commit:${req.sha}`,
      message: `${req.service} built and pushed as ${reference} in ${((Date.now() - started) / 1000).toFixed(1)} s (SBOM: ${sbom.components.length} component${sbom.components.length === 1 ? '' : 's'}; provenance signed)`,
      data: { service: req.service, reference, digest, builder: zeroConfig ? 'node' : 'dockerfile', ms: Date.now() - started, attachments, log: log.slice(-20) },
    });
  return {
    async attach() {
      const [provenanceRef, sbomRef] = await Promise.all([attachOne('att', dsseMediaType, provenance), attachOne('sbom', cycloneDxMediaType, sbom)]);
      const attachments = { provenance: provenanceRef, sbom: sbomRef };
      await emit(attachments);
      return { reference, digest, builder: zeroConfig ? 'node' : 'dockerfile', inputsHash: req.revision, sbom: sbom as unknown as Record<string, unknown>, provenance, attachments };
    },
  };
}

/** The zero-config Node.js builder: the built service directory on the base image, running its command. */
export function nodeDockerfile(base: string, command: string): string {
  return [
    `FROM ${base}`,
    'WORKDIR /app',
    'COPY . /app',
    'ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0',
    'EXPOSE 8080',
    `CMD ${JSON.stringify(['/bin/sh', '-c', command])}`,
    '',
  ].join('\n');
}

async function readJson(path: string): Promise<Record<string, never> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, never>;
  } catch {
    return undefined;
  }
}


