import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerUnavailable } from '@slipway/executor-docker';
import { registryUnavailable, testRegistry } from '@slipway/testkit';
import { createDockerImageBuilder } from './index.js';

const registry = testRegistry;

describe.skipIf(dockerUnavailable() ?? registryUnavailable()).each(['buildkit', 'classic'] as const)('ImageBuilder on the Docker Engine API (%s)', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-image-'));
  const name = `${registry}/slipway-test/app-${backend}-${randomBytes(3).toString('hex')}`;
  const builder = createDockerImageBuilder(undefined, { backend });
  const tags: string[] = [];

  afterAll(() => {
    if (tags.length) execFileSync('docker', ['rmi', '-f', ...tags], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a Dockerfile on the local base image, reuses the layer cache, and pushes by digest to the registry', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM slipway/node:20\nARG GREETING\nWORKDIR /app\nCOPY server.mjs .\nENV GREETING=$GREETING\nCMD ["node", "server.mjs"]\n');
    writeFileSync(join(dir, 'server.mjs'), "console.log(process.env.GREETING ?? 'none');\n");
    const lines: string[] = [];
    const first = await builder.build({ context: dir, tag: `${name}:1`, buildArgs: { GREETING: 'hi' } }, (l) => lines.push(l));
    tags.push(`${name}:1`);
    expect(first.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines[0]).toBe(backend === 'buildkit' ? 'building with BuildKit' : 'building with the classic builder');
    expect(lines.some((l) => l.includes('COPY server.mjs'))).toBe(true);
    expect(execFileSync('docker', ['run', '--rm', `${name}:1`], { encoding: 'utf8' }).trim()).toBe('hi');

    // The same context again: every step from the cache, the same image.
    const again: string[] = [];
    expect((await builder.build({ context: dir, tag: `${name}:2`, buildArgs: { GREETING: 'hi' } }, (l) => again.push(l))).imageId).toBe(first.imageId);
    tags.push(`${name}:2`);
    expect(again.filter((l) => (backend === 'buildkit' ? /#\d+ CACHED/ : /Using cache/i).test(l)).length).toBeGreaterThanOrEqual(backend === 'buildkit' ? 2 : 3);

    const pushed = await builder.push(`${name}:1`);
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.reference).toBe(`${name}@${pushed.digest}`);
    // The digest resolves in the registry.
    const repo = name.slice(registry.length + 1);
    const manifest = await fetch(`http://${registry}/v2/${repo}/manifests/${pushed.digest}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(pushed.digest);
  }, 120_000);

  it('says why a build fails, with its output', async () => {
    writeFileSync(join(dir, 'Broken.Dockerfile'), 'FROM slipway/node:20\nRUN exit 3\n');
    await expect(builder.build({ context: dir, dockerfile: 'Broken.Dockerfile', tag: `${name}:broken` })).rejects.toMatchObject({ code: 'SLW_IMAGE_BUILD_FAILED', message: expect.stringMatching(/returned a non-zero code: 3|exit code: 3/) });
  }, 60_000);
});
