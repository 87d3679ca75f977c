import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredService } from '@slipway/core';
import { dockerUnavailable } from '@slipway/executor-docker';
import { runTargetDriverConformance, runTrafficConformance, writeConformanceServer, type ConformanceArtifactBody } from '@slipway/testkit';
import { createDockerDriver, type DockerDriver } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'slipway-docker-driver-'));
const drivers: DockerDriver[] = [];
let artifacts = 0;
const makeArtifact = (body: ConformanceArtifactBody, version: string) => writeConformanceServer(join(root, 'artifacts', `${version}-${++artifacts}`), body, version);
const open = async () => {
  const d = await createDockerDriver();
  drivers.push(d);
  return d;
};

describe.skipIf(dockerUnavailable())('docker target', () => {
  afterAll(async () => {
    for (const d of drivers) await d.stopAll();
    rmSync(root, { recursive: true, force: true });
  });

  runTargetDriverConformance('docker', async () => {
    const driver = await open();
    return { driver, makeArtifact, cleanup: () => driver.stopAll() };
  });

  runTrafficConformance('docker', async () => {
    const driver = await open();
    return { driver, makeArtifact, cleanup: () => driver.stopAll() };
  });

  const env = `docker-extra-${Date.now().toString(36)}`;
  const desired = async (version: string): Promise<DesiredService> => ({
    service: 'web',
    releaseId: `release-${version}`,
    revision: `rev-${version}-${env}`,
    artifact: await makeArtifact('healthy', version),
    command: 'node server.mjs',
    env: {},
    health: { path: '/healthz', timeoutSeconds: 10, intervalSeconds: 0.1 },
  });
  const deploy = async (driver: DockerDriver, want: DesiredService) => {
    const plan = driver.plan({ environment: env, services: [want] }, await driver.observe(env, ['web']));
    return (await driver.apply(plan, {})).results[0]!;
  };
  // One driver serves an environment's stable ports at a time, as in a server.
  let live: DockerDriver;
  const containersOf = () => execFileSync('docker', ['ps', '-q', '--filter', `label=dev.slipway.environment=${env}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);

  it('runs each service as a labelled container on the environment network, and a new driver adopts it', async () => {
    const first = await open();
    expect(await deploy(first, await desired('v1'))).toMatchObject({ ok: true });
    const [id] = containersOf();
    expect(containersOf()).toHaveLength(1);
    const inspect = JSON.parse(execFileSync('docker', ['inspect', id!], { encoding: 'utf8' }))[0] as { Config: { Labels: Record<string, string> }; NetworkSettings: { Networks: Record<string, unknown> } };
    expect(inspect.Config.Labels).toMatchObject({ 'dev.slipway.service': 'web', 'dev.slipway.release': 'release-v1' });
    expect(Object.keys(inspect.NetworkSettings.Networks)).toEqual([`slipway-env-${env}`]);
    const { url } = (await first.observe(env, ['web'])).services[0]!;
    await first.close();

    live = await open();
    const seen = (await live.observe(env, ['web'])).services[0]!;
    expect(seen).toMatchObject({ health: 'healthy', revision: `rev-v1-${env}`, url });
    expect(await (await fetch(url!)).text()).toBe('v1');
  });

  it('applies the memory and CPU limits of the desired service', async () => {
    const want = { ...(await desired('v2')), resources: { memoryBytes: 128 * 1024 * 1024, cpus: 0.5 } };
    expect(await deploy(live, want)).toMatchObject({ ok: true });
    const [id] = containersOf();
    const host = JSON.parse(execFileSync('docker', ['inspect', id!], { encoding: 'utf8' }))[0].HostConfig as { Memory: number; NanoCpus: number };
    expect(host).toMatchObject({ Memory: 134217728, NanoCpus: 500000000 });
  });

  it('finds a container changed by hand (docker update, docker pause), and a restart puts back what was desired', async () => {
    const want = { ...(await desired('v2')), resources: { memoryBytes: 128 * 1024 * 1024, cpus: 0.5 } };
    const [id] = containersOf();
    execFileSync('docker', ['update', '--memory', '256m', '--memory-swap', '512m', id!]);
    const changed = (await live.observe(env, ['web'])).services[0]!;
    expect(changed).toMatchObject({ health: 'degraded', message: expect.stringContaining('limits changed by hand (memory/nano-CPUs 134217728/500000000 → 268435456/500000000)') });
    expect(live.plan({ environment: env, services: [want] }, await live.observe(env, ['web'])).actions[0]?.type).toBe('restart');
    expect(await deploy(live, want)).toMatchObject({ ok: true, action: 'restart' });
    const [healed] = containersOf();
    expect(healed).not.toBe(id);
    expect(JSON.parse(execFileSync('docker', ['inspect', healed!], { encoding: 'utf8' }))[0].HostConfig.Memory).toBe(134217728);
    expect((await live.observe(env, ['web'])).services[0]).toMatchObject({ health: 'healthy' });

    execFileSync('docker', ['pause', healed!]);
    expect((await live.observe(env, ['web'])).services[0]).toMatchObject({ health: 'degraded', message: expect.stringContaining('paused by hand') });
    expect(await deploy(live, want)).toMatchObject({ ok: true, action: 'restart' });
    expect((await live.observe(env, ['web'])).services[0]).toMatchObject({ health: 'healthy' });
  });

  it('observes a container removed by hand as missing, and a create heals it behind the same url', async () => {
    const driver = live;
    const before = (await driver.observe(env, ['web'])).services[0]!;
    execFileSync('docker', ['rm', '-f', ...containersOf()]);
    const gone = (await driver.observe(env, ['web'])).services[0]!;
    expect(gone).toMatchObject({ health: 'missing', revision: null });
    const want = await desired('v1');
    expect(driver.plan({ environment: env, services: [want] }, await driver.observe(env, ['web'])).actions[0]?.type).toBe('create');
    expect(await deploy(driver, want)).toMatchObject({ ok: true, action: 'create' });
    const healed = (await driver.observe(env, ['web'])).services[0]!;
    expect(healed).toMatchObject({ health: 'healthy', url: before.url });
    await driver.delete(env, 'web');
    expect(containersOf()).toEqual([]);
  });
});
