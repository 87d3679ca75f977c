import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlipwayError, type ImageBuilder } from '@slipway/core';
import { createDockerClient, statusOf, type DockerClient } from '@slipway/executor-docker';
import { createTraceReader } from './buildkit-trace.js';

type Frame = { stream?: string; status?: string; progress?: string; error?: string; errorDetail?: { message?: string }; aux?: { ID?: string; Digest?: string } | string; id?: string };

export interface DockerImageBuilderOptions {
  /** `buildkit`, `classic`, or `auto` (the default): BuildKit where the engine has it, else the classic builder. */
  backend?: 'auto' | 'buildkit' | 'classic';
}

/**
 * The ImageBuilder on the Docker Engine API: the context goes to `/build` as a tar archive (made by `tar`), the daemon's
 * layer cache is reused across builds, and `/images/{name}/push` sends it to the registry,
 * whose answer carries the manifest digest. Nothing is ever pulled: FROM images must exist locally (slipway/node:20).
 */
export function createDockerImageBuilder(client: DockerClient = createDockerClient(), options: DockerImageBuilderOptions = {}): ImageBuilder {
  const { docker } = client;
  // BuildKit takes the tar context in the request body (no session needed); a daemon without it refuses version=2.
  let buildkit = options.backend !== 'classic';
  // Straight to the modem: dockerode's buildImage opens a gRPC session for version 2, which a tar context does not need
  // (and whose proto files a bundle does not carry).
  const start = (context: Buffer, input: Parameters<ImageBuilder['build']>[0]) =>
    new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      docker.modem.dial(
        {
          path: '/build?',
          method: 'POST',
          file: context,
          isStream: true,
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
          options: {
            t: input.tag,
            dockerfile: input.dockerfile ?? 'Dockerfile',
            ...(input.target ? { target: input.target } : {}),
            ...(input.buildArgs ? { buildargs: input.buildArgs } : {}),
            // Never ask for a newer FROM image: none is reachable, and a build must not change with a remote tag.
            pull: false,
            rm: true,
            ...(buildkit ? { version: '2' } : {}),
          },
        },
        (err: Error | null, stream: unknown) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
      ),
    );
  return {
    async build(input, onLog, signal) {
      const context = await tarOf(input.context, input.dockerfileContent ? { name: input.dockerfile ?? 'Dockerfile', content: input.dockerfileContent } : undefined, signal);
      let stream: NodeJS.ReadableStream;
      try {
        stream = await start(context, input);
      } catch (err) {
        if (!buildkit || options.backend === 'buildkit' || !/buildkit|version/i.test((err as Error).message)) throw err;
        buildkit = false;
        stream = await start(context, input);
      }
      onLog?.(buildkit ? 'building with BuildKit' : 'building with the classic builder');
      const frames = await follow(docker, stream, onLog);
      const failed = frames.find((f) => f.error);
      if (failed) throw new SlipwayError('SLW_IMAGE_BUILD_FAILED', `cannot build ${input.tag}: ${(failed.errorDetail?.message ?? failed.error ?? '').trim()}`, { hint: 'The build output is in the run log; FROM images must exist locally (scripts/build-base-image.sh).' });
      const image = await docker.getImage(input.tag).inspect();
      return { imageId: image.Id };
    },

    async inspect(name) {
      try {
        return { id: (await docker.getImage(name).inspect()).Id };
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async push(tag, auth, onLog) {
      const image = docker.getImage(tag);
      // The daemon wants an X-Registry-Auth header even for a registry without credentials.
      const serveraddress = tag.split('/')[0]!;
      const stream = await image.push({ authconfig: auth ? { username: auth.username, password: auth.password, serveraddress } : { serveraddress } });
      const frames = await follow(docker, stream as NodeJS.ReadableStream, onLog);
      const failed = frames.find((f) => f.error);
      // The URL of a registry is safe to show; credentials are never in a frame.
      if (failed) throw new SlipwayError('SLW_IMAGE_PUSH_FAILED', `cannot push ${tag}: ${(failed.errorDetail?.message ?? failed.error ?? '').trim()}`, { hint: 'Check the registry address and its credentials (project secrets REGISTRY_USERNAME and REGISTRY_PASSWORD).' });
      const digest = frames.map((f) => (typeof f.aux === 'object' ? f.aux.Digest : undefined) ?? /digest: (sha256:[0-9a-f]{64})/.exec(f.status ?? '')?.[1]).find((d): d is string => typeof d === 'string');
      if (!digest) throw new SlipwayError('SLW_IMAGE_PUSH_FAILED', `the registry gave no digest for ${tag}`);
      const name = tag.slice(0, tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag.lastIndexOf(':') : tag.length);
      return { digest, reference: `${name}@${digest}` };
    },
  };
}

/**
 * The build context as one tar archive, with a generated Dockerfile added when there is one. Handed to the daemon whole:
 * a child's pipe sometimes reached it empty.
 */
async function tarOf(dir: string, extra?: { name: string; content: string }, signal?: AbortSignal): Promise<Buffer> {
  if (!extra) return runTar(['-c', '-C', dir, '.'], dir, signal);
  const side = await mkdtemp(join(tmpdir(), 'slipway-dockerfile-'));
  try {
    await writeFile(join(side, extra.name), extra.content);
    return await runTar(['-c', '-C', dir, '.', '-C', side, extra.name], dir, signal);
  } finally {
    await rm(side, { recursive: true, force: true });
  }
}

function runTar(args: string[], dir: string, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    let err = '';
    tar.stdout.on('data', (c: Buffer) => out.push(c));
    tar.stderr.on('data', (c: Buffer) => void (err += c.toString()));
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new SlipwayError('SLW_IMAGE_BUILD_FAILED', `cannot pack the build context ${dir}: ${err.trim() || `tar exited with ${code}`}`))));
  });
}

/** Reads the daemon's JSON progress stream to its end, passing each output line on (BuildKit's trace decoded). */
function follow(docker: DockerClient['docker'], stream: NodeJS.ReadableStream, onLog?: (line: string) => void): Promise<Frame[]> {
  const trace = onLog ? createTraceReader(onLog) : undefined;
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, frames: Frame[]) => (err ? reject(err) : resolve(frames)),
      (frame: Frame) => {
        if (frame.id === 'moby.buildkit.trace') return typeof frame.aux === 'string' ? trace?.(frame.aux) : undefined;
        const text = frame.stream ?? (frame.status ? `${frame.id ? `${frame.id}: ` : ''}${frame.status}${frame.progress ? ` ${frame.progress}` : ''}` : frame.error);
        if (text) for (const line of text.split('\n')) if (line.trim()) onLog?.(line.trimEnd());
      },
    );
  });
}
