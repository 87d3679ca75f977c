import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Promotion, Release, SlipwayEvent } from '@slipway/core';
import { dockerUnavailable } from '@slipway/executor-docker';
import { createOciRegistry } from '@slipway/integration-registry-oci';
import { registryUnavailable, testRegistry } from '@slipway/testkit';
import { cli, git, tempDir, waitFor, type ServerProcess } from './harness.js';
import { launchChromium, noChromium, screenshots } from './browser.js';
import { startDemoProject } from './project-repo.js';

/**
 * Images end to end, on a real dockerd and the Distribution registry: the demo built (api from its Dockerfile, web and
 * worker by the zero-config Node.js builder), pushed by digest with an SBOM and a signed provenance, and run by digest
 * on the Docker target; unchanged services are never rebuilt; a provenance changed in the registry fails
 * `slipway verify` and is refused by an environment that requires provenance.
 */
describe.skipIf(dockerUnavailable() ?? registryUnavailable())('images, releases and provenance on the Docker target', () => {
  const dir = tempDir('images');
  const repo = join(dir.path, 'repo');
  const repository = `e2e-${randomBytes(3).toString('hex')}`;
  const registry = createOciRegistry();
  let s: ServerProcess;
  let projectId = '';
  const envs = async () => (await s.status()).projects[0]!.environments;
  const releases = async () => (await s.get<{ items: Release[] }>('/api/releases?limit=50')).items;
  const containers = (env: string) => execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${env}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const pushed = async (sha: string) => (await s.events()).filter((e: SlipwayEvent) => e.kind === 'image.pushed' && e.subject === `commit:${sha}`);
  const commit = async (file: string, text: string, message: string) => {
    writeFileSync(join(repo, file), text);
    await git(repo, 'commit', '-qam', message);
    const sha = (await git(repo, 'rev-parse', 'HEAD')).trim();
    expect((await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' })).ok).toBe(true);
    return sha;
  };

  beforeAll(async () => {
    ({ s, projectId } = await startDemoProject(dir.path, (yaml) =>
      yaml
        .replace('project: demo\n', `project: demo\nimages:\n  registry: ${testRegistry}\n  repository: ${repository}\n`)
        .replace('    command: node src/server.mjs\n    health:', '    command: node src/server.mjs\n    image:\n      dockerfile: Dockerfile\n    health:')
        .replace(/environments:[\s\S]*$/, 'environments:\n  dev:\n    target: { type: docker }\n  staging:\n    target: { type: docker }\n    policy:\n      promotion: manual\n      requireProvenance: true\n'),
    ));
  }, 60_000);

  afterAll(async () => {
    const ids = (await envs().catch(() => [])).map((e) => e.id);
    await s?.stop();
    for (const env of ids) {
      const running = containers(env);
      if (running.length) execFileSync('docker', ['rm', '-f', ...running]);
      spawnSync('docker', ['network', 'rm', `slipway-env-${env}`], { stdio: 'ignore' });
    }
    const images = execFileSync('docker', ['images', '-q', '--filter', `reference=${testRegistry}/${repository}/*`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    if (images.length) spawnSync('docker', ['rmi', '-f', ...new Set(images)], { stdio: 'ignore' });
    dir.remove();
  });

  it('builds and pushes every demo service by digest and runs those digests in dev on the Docker target', async () => {
    onTestFailed(() => console.error(`slipway server output (tail):\n${s.output().slice(-4000)}`));
    const dev = await waitFor('the demo healthy in dev', async () => {
      const env = (await envs()).find((e) => e.name === 'dev');
      return env?.health === 'healthy' && env.services.length === 3 ? env : undefined;
    }, 180_000, 250);
    const [v1] = await releases();
    expect(v1!.version).toBe(1);
    expect(v1!.runIds.length).toBeGreaterThan(0);
    expect((v1!.config as { images?: { registry: string } }).images?.registry).toBe(testRegistry);
    const images = Object.entries(v1!.services).map(([name, svc]) => [name, svc.image!] as const);
    expect(images.map(([name, image]) => [name, image.builder])).toEqual([['api', 'dockerfile'], ['web', 'node'], ['worker', 'node']]);
    for (const [name, image] of images) {
      expect(image.reference).toBe(`${testRegistry}/${repository}/${name}@${image.digest}`);
      // Every digest the API returns resolves in the registry, as do its attachments.
      expect(await registry.resolve(`${testRegistry}/${repository}/${name}`, image.digest)).toBe(image.digest);
      expect(await registry.resolve(`${testRegistry}/${repository}/${name}`, `${image.digest.replace(':', '-')}.att`)).toMatch(/^sha256:/);
      expect(image.sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    }
    // docker ps shows them, each running its release image by digest.
    const ids = containers(dev.id);
    expect(ids).toHaveLength(3);
    const running = ids.map((id) => execFileSync('docker', ['inspect', '-f', '{{ index .Config.Labels "dev.slipway.service" }} {{ .Config.Image }}', id], { encoding: 'utf8' }).trim()).sort();
    expect(running).toEqual(images.map(([name, image]) => `${name} ${image.reference}`));
    const web = dev.services.find((x) => x.service === 'web')!;
    expect(await (await fetch(web.url!)).text()).toMatch(/Hello from the api/i);
  }, 240_000);

  it('verifies v1 with `slipway verify`, and an environment that requires provenance accepts it', async () => {
    const verified = await cli(['verify', 'v1', '--server', s.url]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/v1 verified/);
    for (const check of ['signature', 'sigstore', 'subject', 'builder', 'registry-image', 'registry-provenance', 'sbom']) expect(verified.stdout).toContain(check);
    expect((await cli(['deploy', 'v1', '--env', 'staging', '--server', s.url])).code).toBe(0);
    const staging = await waitFor('v1 healthy in staging', async () => {
      const env = (await envs()).find((e) => e.name === 'staging');
      return env?.health === 'healthy' && env.desiredRelease?.version === 1 && env.services.length === 3 ? env : undefined;
    }, 120_000, 250);
    const [promotion] = (await s.get<{ items: Promotion[] }>(`/api/promotions?environmentId=${staging.id}`)).items;
    expect(promotion!.gates.find((g) => g.gate === 'provenance')).toMatchObject({ passed: true, detail: expect.stringContaining('provenance verified for 3 images') });
  }, 180_000);

  it('rebuilds only the service that changed, and nothing for a commit that changes no service', async () => {
    const [v1] = await releases();
    const sha2 = await commit('services/api/src/version.mjs', "export const VERSION = '1.0.1';\n", 'bump api');
    const v2 = await waitFor('release v2', async () => (await releases()).find((r) => r.version === 2), 120_000, 250);
    expect(v2.changedServices).toEqual(['api']);
    expect((await pushed(sha2)).map((e) => e.data.service)).toEqual(['api']);
    expect(v2.services.api!.image!.digest).not.toBe(v1!.services.api!.image!.digest);
    expect(v2.services.web!.image).toEqual(v1!.services.web!.image);
    expect(v2.services.worker!.image).toEqual(v1!.services.worker!.image);

    const tagsBefore = await tagCount();
    const sha3 = await commit('README.md', 'A change outside every service.\n', 'docs only');
    await waitFor('no release for the docs-only commit', async () => (await s.events()).find((e) => e.kind === 'release.skipped' && e.data.sha === sha3), 120_000, 250);
    expect(await pushed(sha3)).toEqual([]);
    expect((await releases())[0]!.version).toBe(2);
    expect(await tagCount()).toBe(tagsBefore);
  }, 240_000);

  it('fails `slipway verify` and refuses the promotion when one character of the subject digest changes in the registry', async () => {
    const v2 = (await releases()).find((r) => r.version === 2)!;
    const { digest } = v2.services.api!.image!;
    const name = `${testRegistry}/${repository}/api`;
    const [doc] = (await registry.attachments(name, digest, 'att'))!;
    const envelope = JSON.parse(new TextDecoder().decode(doc!.content)) as { payload: string };
    const payload = Buffer.from(envelope.payload, 'base64').toString('utf8');
    const hex = digest.slice('sha256:'.length);
    expect(payload).toContain(hex);
    const flipped = `${hex[0] === 'a' ? 'b' : 'a'}${hex.slice(1)}`;
    const tampered = { ...envelope, payload: Buffer.from(payload.replace(hex, flipped)).toString('base64') };
    await registry.attach({ repository: name, subject: digest, suffix: 'att', artifactType: doc!.mediaType, documents: [{ mediaType: doc!.mediaType, content: new TextEncoder().encode(JSON.stringify(tampered)) }] });

    const verify = await cli(['verify', 'v2', '--server', s.url]);
    expect(verify.code).toBe(65);
    expect(verify.stdout).toMatch(/v2 does not verify/);
    expect(verify.stdout).toMatch(/FAIL registry-provenance .*does not verify/);
    const json = JSON.parse((await cli(['verify', 'v2', '--json', '--server', s.url])).stdout) as { verified: boolean; services: { service: string; verified: boolean }[] };
    expect(json.verified).toBe(false);
    expect(json.services.filter((x) => !x.verified).map((x) => x.service)).toEqual(['api']);

    expect((await cli(['deploy', 'v2', '--env', 'staging', '--server', s.url])).code).toBe(0);
    const refused = await waitFor('promotion.refused', async () => (await s.events()).find((e) => e.kind === 'promotion.refused' && e.data.version === 2), 30_000, 200);
    expect(refused.message).toMatch(/v2 refused in staging: provenance does not verify \(api:/);
    const staging = (await envs()).find((e) => e.name === 'staging')!;
    const [promotion] = (await s.get<{ items: Promotion[] }>(`/api/promotions?environmentId=${staging.id}`)).items;
    expect(promotion).toMatchObject({ phase: 'failed', reason: expect.stringContaining('refused') });
    expect(staging.desiredRelease?.version).toBe(1);
  }, 120_000);

  it.skipIf(noChromium)('shows each image and the verification on the release page in Chromium', async () => {
    const all = await releases();
    const { context, page } = await launchChromium(join(dir.path, 'chromium'));
    try {
      const v1 = all.find((r) => r.version === 1)!;
      await page.goto(`${s.url}/#/releases`);
      await page.locator('[data-testid="release-row"][data-version="1"] a.version').click();
      await page.locator('[data-testid="release-page"]').waitFor();
      for (const [name, svc] of Object.entries(v1.services)) expect(await page.locator(`[data-testid="release-service"][data-service="${name}"]`).getAttribute('data-digest')).toBe(svc.image!.digest);
      await page.getByTestId('verify').click();
      await page.locator('[data-testid="verification"][data-verified="true"]').waitFor();
      await page.screenshot({ path: join(screenshots, 'release-verified.png'), fullPage: true });
      await page.goto(`${s.url}/#/releases/${all.find((r) => r.version === 2)!.id}`);
      await page.getByTestId('verify').click();
      await page.locator('[data-testid="verification"][data-verified="false"]').waitFor();
      expect(await page.locator('[data-testid="verification-check"][data-service="api"][data-check="registry-provenance"]').getAttribute('data-passed')).toBe('false');
      await page.screenshot({ path: join(screenshots, 'release-refused.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('heals a container removed with docker rm -f within 10 s, running the same digest, and records the drift', async () => {
    const dev = (await envs()).find((e) => e.name === 'dev')!;
    const api = execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${dev.id}`, '--filter', 'label=dev.slipway.service=api'], { encoding: 'utf8' }).trim();
    const image = execFileSync('docker', ['inspect', '-f', '{{ .Config.Image }}', api], { encoding: 'utf8' }).trim();
    const removed = Date.now();
    execFileSync('docker', ['rm', '-f', api]);
    const drift = await waitFor('drift.detected for dev', async () => (await s.events()).find((e: SlipwayEvent) => e.kind === 'drift.detected' && e.data.environment === 'dev' && Date.parse(e.ts) >= removed - 1000), 10_000, 100);
    expect(Date.parse(drift.ts) - removed).toBeLessThan(10_000);
    const healed = await waitFor('api running again in dev', async () => {
      const id = execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${dev.id}`, '--filter', 'label=dev.slipway.service=api'], { encoding: 'utf8' }).trim();
      const svc = (await envs()).find((e) => e.name === 'dev')!.services.find((x) => x.service === 'api');
      return id && svc?.health === 'healthy' ? id : undefined;
    }, 10_000, 100);
    expect(Date.now() - removed).toBeLessThan(10_000 + 1000);
    expect(execFileSync('docker', ['inspect', '-f', '{{ .Config.Image }}', healed], { encoding: 'utf8' }).trim()).toBe(image);
  }, 60_000);

  async function tagCount(): Promise<number> {
    let n = 0;
    for (const svc of ['api', 'web', 'worker']) {
      const res = await fetch(`http://${testRegistry}/v2/${repository}/${svc}/tags/list`);
      n += ((await res.json()) as { tags?: string[] }).tags?.length ?? 0;
    }
    return n;
  }
});
