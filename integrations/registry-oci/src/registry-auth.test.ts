import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerUnavailable } from '@slipway/executor-docker';
import { createDockerImageBuilder } from '@slipway/integration-image-docker';
import { hasBinary, serviceUnavailable } from '@slipway/testkit';
import { createOciRegistry } from './index.js';

const noRegistryBinary = serviceUnavailable('docker-registry', () => (hasBinary('docker-registry') ? undefined : 'docker-registry is not installed (apt-get install docker-registry)'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Registry credentials on a Distribution registry with htpasswd auth (started here): refused without them or with a
 * wrong password, accepted with them, by the registry adapter and by the daemon's push; the password never shows in
 * an error.
 */
describe.skipIf(noRegistryBinary)('registry credentials (htpasswd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-auth-registry-'));
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const auth = { username: 'ci', password };
  let host = '';
  let registryProcess: ChildProcess;

  beforeAll(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    writeFileSync(join(dir, 'htpasswd'), `ci:${bcrypt.hashSync(password, 10)}\n`);
    writeFileSync(join(dir, 'config.yml'), `version: 0.1\nstorage: {filesystem: {rootdirectory: ${dir}/data}}\nhttp: {addr: ${host}}\nauth: {htpasswd: {realm: slipway-test, path: ${dir}/htpasswd}}\n`);
    registryProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`http://${host}/v2/`).catch(() => undefined);
      if (res?.status === 401) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the registry on ${host} did not start`);
  });

  afterAll(() => {
    registryProcess?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the adapter without credentials or with a wrong password, without showing the password', async () => {
    const registry = createOciRegistry();
    const repository = `${host}/team/app`;
    await expect(registry.resolve(repository, 'latest')).rejects.toMatchObject({ code: 'SLW_REGISTRY_FAILED', message: expect.stringContaining('HTTP 401') });
    const wrong = registry.resolve(repository, 'latest', { username: 'ci', password: `${password}-wrong` });
    await expect(wrong).rejects.toMatchObject({ code: 'SLW_REGISTRY_FAILED' });
    const message = await wrong.catch((e: Error) => e.message);
    expect(message).not.toContain(password);
    // With the right password the registry answers: no such manifest yet.
    expect(await registry.resolve(repository, 'latest', auth)).toBeUndefined();
  });

  it.skipIf(dockerUnavailable())('pushes through the daemon with the credentials and attaches to the image with them', async () => {
    const builder = createDockerImageBuilder();
    const context = join(dir, 'context');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), `FROM slipway/node:20\nRUN echo ${randomBytes(4).toString('hex')} > /id\n`);
    const tag = `${host}/team/app:1`;
    await builder.build({ context, tag });
    await expect(builder.push(tag)).rejects.toMatchObject({ code: 'SLW_IMAGE_PUSH_FAILED' });
    const pushed = await builder.push(tag, auth);
    const registry = createOciRegistry();
    expect(await registry.resolve(`${host}/team/app`, pushed.digest, auth)).toBe(pushed.digest);
    const doc = { mediaType: 'application/vnd.cyclonedx+json', content: new TextEncoder().encode('{"bomFormat":"CycloneDX"}') };
    await registry.attach({ repository: `${host}/team/app`, subject: pushed.digest, suffix: 'sbom', artifactType: doc.mediaType, documents: [doc] }, auth);
    expect((await registry.attachments(`${host}/team/app`, pushed.digest, 'sbom', auth))?.length).toBe(1);
    spawnSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
  }, 60_000);
});
