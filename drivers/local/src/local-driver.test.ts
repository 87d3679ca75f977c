import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive, type DesiredService, type TargetDriver } from '@slipway/core';
import { runTargetDriverConformance, runTrafficConformance, writeConformanceServer, type ConformanceArtifactBody } from '@slipway/testkit';
import { freePort } from './ports.js';
import { createLocalDriver, type LocalDriver } from './index.js';

// Every instance this file starts carries the marker on its command line, so that leftovers show up in pgrep.
const marker = `slipway-local-test-${randomBytes(4).toString('hex')}`;
const command = `node server.mjs ${marker}`;
const root = mkdtempSync(join(tmpdir(), 'slipway-local-'));
const drivers: LocalDriver[] = [];
let artifacts = 0;

const makeArtifact = (body: ConformanceArtifactBody, version: string) => writeConformanceServer(join(root, 'artifacts', `${version}-${++artifacts}`), body, version);

async function openDriver(stateDir: string): Promise<LocalDriver> {
  const driver = await createLocalDriver({ stateDir });
  drivers.push(driver);
  return driver;
}

afterAll(async () => {
  // A safety net for failed tests; the last test checks that stopAll really leaves nothing behind.
  for (const driver of drivers) await driver.stopAll();
  rmSync(root, { recursive: true, force: true });
});

runTargetDriverConformance('local', async () => {
  const driver = await openDriver(join(root, 'conformance'));
  return { driver, makeArtifact, command, cleanup: () => driver.stopAll() };
});

runTrafficConformance('local', async () => {
  const driver = await openDriver(join(root, 'traffic'));
  return { driver, makeArtifact, command, cleanup: () => driver.stopAll() };
});

describe('local driver', () => {
  const desired = async (version: string, body: ConformanceArtifactBody = 'healthy', extra: Partial<DesiredService> = {}): Promise<DesiredService> => ({
    service: 'web',
    releaseId: `release-${version}`,
    revision: `rev-${version}`,
    artifact: await makeArtifact(body, version),
    command,
    env: {},
    health: { path: '/healthz', timeoutSeconds: 10, intervalSeconds: 0.1 },
    ...extra,
  });

  const deploy = async (driver: TargetDriver, environment: string, want: DesiredService, signal?: AbortSignal) => {
    const plan = driver.plan({ environment, services: [want] }, await driver.observe(environment, [want.service]));
    const { results } = await driver.apply(plan, { signal });
    return results[0]!;
  };

  const web = async (driver: TargetDriver, environment: string) => (await driver.observe(environment, ['web'])).services[0]!;

  it('adopts running instances after a restart of the server', async () => {
    const stateDir = join(root, 'adopt');
    const first = await openDriver(stateDir);
    const v1 = await desired('v1');
    expect(await deploy(first, 'adopt', v1)).toMatchObject({ ok: true });
    const before = await web(first, 'adopt');
    // A crash takes the proxies (they live in the server process) but not the instances.
    await first.close();
    await expect(get(before.url!)).rejects.toThrow();

    const second = await openDriver(stateDir);
    const after = await web(second, 'adopt');
    expect(after).toMatchObject({ health: 'healthy', revision: v1.revision, url: before.url });
    expect(after.instances.map((i) => i.pid)).toEqual(before.instances.map((i) => i.pid));
    expect(await get(after.url!)).toBe('v1');

    // The adopted instance is replaced and stopped like any other.
    expect(await deploy(second, 'adopt', await desired('v2'))).toMatchObject({ action: 'replace', ok: true });
    expect(await get(after.url!)).toBe('v2');
    expect(isProcessAlive(before.instances[0]!.pid!)).toBe(false);
  });

  it('stops a canary left by a server that stopped, and keeps the stable instance serving', async () => {
    const stateDir = join(root, 'canary-restart');
    const first = await openDriver(stateDir);
    expect(await deploy(first, 'canary', await desired('v1'))).toMatchObject({ ok: true });
    expect(await first.traffic!.startCanary('canary', await desired('v2'), { weight: 50 })).toBeNull();
    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { environments: Record<string, Record<string, { standby?: { pid: number }[] }>> };
    const canaryPid = state.environments.canary!.web!.standby![0]!.pid;
    expect(isProcessAlive(canaryPid)).toBe(true);
    await first.close();

    const second = await openDriver(stateDir);
    // Stopped: gone once this process (its parent) has reaped it.
    await waitFor(async () => !isProcessAlive(canaryPid));
    expect(JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')).environments.canary.web.standby).toBeUndefined();
    expect(second.traffic!.canaryRevision('canary', 'web')).toBeNull();
    const url = (await web(second, 'canary')).url!;
    for (let i = 0; i < 4; i++) expect(await get(url)).toBe('v1');
  });

  it('observes an instance that died as missing, and restarts it at the same url', async () => {
    const driver = await openDriver(join(root, 'died'));
    const v1 = await desired('v1');
    expect(await deploy(driver, 'died', v1)).toMatchObject({ ok: true });
    const before = await web(driver, 'died');
    process.kill(-before.instances[0]!.pid!, 'SIGKILL');
    await waitFor(async () => (await web(driver, 'died')).health === 'missing');
    const dead = await web(driver, 'died');
    expect(dead).toMatchObject({ revision: v1.revision, instances: [{ health: 'missing' }] });
    expect(dead.message).toMatch(/not running/);
    expect(await deploy(driver, 'died', v1)).toMatchObject({ action: 'restart', ok: true });
    expect(await web(driver, 'died')).toMatchObject({ health: 'healthy', url: before.url });
    expect(await get(before.url!)).toBe('v1');
  });

  it('serves a service on the port it asks for', async () => {
    const driver = await openDriver(join(root, 'port'));
    const port = await freePort('127.0.0.1');
    expect(await deploy(driver, 'port', await desired('v1', 'healthy', { port }))).toMatchObject({ ok: true });
    expect((await web(driver, 'port')).url).toBe(`http://127.0.0.1:${port}`);
    expect(await get(`http://127.0.0.1:${port}`)).toBe('v1');
  });

  it('gives instances PORT and HOST but none of the server SLIPWAY_ variables', async () => {
    const driver = await openDriver(join(root, 'env'));
    process.env.SLIPWAY_TEST_SECRET = 'do-not-leak';
    try {
      expect(await deploy(driver, 'env', await desired('v1', 'healthy', { env: { GREETING: 'hi' } }))).toMatchObject({ ok: true });
    } finally {
      delete process.env.SLIPWAY_TEST_SECRET;
    }
    const { url, instances } = await web(driver, 'env');
    expect(await get(`${url}/env/SLIPWAY_TEST_SECRET`)).toBe('');
    expect(await get(`${url}/env/GREETING`)).toBe('hi');
    expect(await get(`${url}/env/HOST`)).toBe('127.0.0.1');
    expect(await get(`${url}/env/PORT`)).toBe(String(instances[0]!.port));
  });

  it('stops waiting and stops the new instance when the apply is aborted', async () => {
    const driver = await openDriver(join(root, 'abort'));
    expect(await deploy(driver, 'abort', await desired('v1'))).toMatchObject({ ok: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500).unref();
    const started = Date.now();
    const result = await deploy(driver, 'abort', await desired('v2', 'unhealthy', { health: { path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.1 } }), controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/aborted/);
    const after = await web(driver, 'abort');
    expect(after).toMatchObject({ health: 'healthy', revision: 'rev-v1' });
    expect(after.instances).toHaveLength(1);
    expect(await get(after.url!)).toBe('v1');
  });

  it('reports a missing artifact directory as a failed deploy', async () => {
    const driver = await openDriver(join(root, 'no-artifact'));
    const result = await deploy(driver, 'no-artifact', { ...(await desired('v1')), artifact: join(root, 'does-not-exist') });
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/does not exist/);
  });

  // Keep last: it stops everything the other tests started.
  it('leaves no process behind after stopAll', async () => {
    for (const driver of drivers) await driver.stopAll();
    const left = spawnSync('pgrep', ['-af', marker], { encoding: 'utf8' });
    expect(left.stdout.trim()).toBe('');
  });
});

async function get(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}


async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
