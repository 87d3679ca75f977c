import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { SlipwayError, type JobEnvironment, type JobEnvironmentSpec, type StepOutput } from '@slipway/core';
import { writeConformanceServer } from '@slipway/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerExecutor } from './docker-executor.js';
import { dockerUnavailable } from './docker-test-probe.js';
import { jobLabel } from './labels.js';

const docker = new Docker();
const executor = createDockerExecutor();
const runId = randomBytes(3).toString('hex');
let root = '';
let jobs = 0;

/** A job spec with its own directories; the server directory holds the service's HTTP server and start script. */
function jobSpec(extra: Partial<JobEnvironmentSpec> = {}): JobEnvironmentSpec {
  const n = ++jobs;
  return { id: `docker-test-${runId}-${n}`, workspace: join(root, `ws-${n}`), temp: join(root, `tmp-${n}`), ...extra };
}

/** What Docker still has for a job: containers and networks with its label. */
async function leftovers(jobId: string): Promise<string[]> {
  const filters = { label: [`${jobLabel}=${jobId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`)];
}

async function run(job: JobEnvironment, command: string, signal = new AbortController().signal) {
  const output: StepOutput[] = [];
  const { exitCode } = await job.runStep({ command, shell: 'sh', cwd: root, env: {}, timeoutMs: 20_000 }, (o) => output.push(o), signal);
  return { exitCode, stdout: output.filter((o) => o.stream === 'stdout').map((o) => o.text), stderr: output.filter((o) => o.stream === 'stderr').map((o) => o.text) };
}

describe.skipIf(dockerUnavailable())('docker executor', () => {
  /** A `services:` entry: slipway/node:20 running the conformance HTTP server, mounted in, through `--entrypoint`. */
  let web: { image: string; env: Record<string, string>; ports: string[]; volumes: string[]; options: string };

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-docker-executor-')));
    const server = join(root, 'server');
    await writeConformanceServer(server, 'healthy', 'v1');
    await writeFile(join(server, 'start'), '#!/bin/sh\nexec node /srv/server.mjs\n');
    await chmod(join(server, 'start'), 0o755);
    web = {
      image: 'slipway/node:20',
      env: { PORT: '8080', HOST: '0.0.0.0', GREETING: 'hello from the service' },
      ports: ['8080'],
      volumes: [`${server}:/srv:ro`],
      options: '--entrypoint /srv/start --health-cmd "wget -qO- http://127.0.0.1:8080/healthz" --health-interval 300ms --health-retries 30',
    };
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('runs services on the job network: reachable by key from the job container and by published port from the host', async () => {
    const spec = jobSpec({ services: { web } });
    const job = await executor.prepareJob(spec, new AbortController().signal);
    try {
      const endpoint = job.services.web!;
      expect(endpoint.network).toBe(job.container.network);
      // The health check gated prepareJob: the service answers at once.
      expect((await docker.getContainer(endpoint.id!).inspect()).State.Health?.Status).toBe('healthy');
      const inside = await run(job, 'wget -qO- http://web:8080/env/GREETING; echo');
      expect(inside).toMatchObject({ exitCode: 0, stdout: ['hello from the service'] });
      const port = endpoint.ports['8080'];
      expect(port).toMatch(/^\d+$/);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('v1');
    } finally {
      await job.dispose();
    }
    expect(await leftovers(spec.id)).toEqual([]);
  });

  it('refuses a missing image without pulling it, and makes nothing', async () => {
    const spec = jobSpec({ services: { db: { image: 'slipway/does-not-exist:1' } } });
    const error = await executor.prepareJob(spec, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).message).toMatch(/services\.db: image slipway\/does-not-exist:1 is not present locally; build it/);
    expect(await leftovers(spec.id)).toEqual([]);
  });

  it('names the service and the fix when its image has no command, and makes nothing', async () => {
    const spec = jobSpec({ services: { bare: { image: 'slipway/node:20' } } });
    const error = await executor.prepareJob(spec, new AbortController().signal).catch((e: unknown) => e);
    expect((error as SlipwayError).message).toBe('services.bare: could not start a container from slipway/node:20: No command specified');
    expect((error as SlipwayError).hint).toContain('--entrypoint');
    expect(await leftovers(spec.id)).toEqual([]);
  });

  it('removes everything when a service turns unhealthy during prepareJob', async () => {
    const spec = jobSpec({ services: { sick: { ...web, options: '--entrypoint /srv/start --health-cmd false --health-interval 100ms --health-retries 1' } } });
    await expect(executor.prepareJob(spec, new AbortController().signal)).rejects.toThrow(/services\.sick: .* is unhealthy/);
    expect(await leftovers(spec.id)).toEqual([]);
  });

  it('leaves no container and no network behind when a run is cancelled', async () => {
    const spec = jobSpec({ services: { web } });
    const job = await executor.prepareJob(spec, new AbortController().signal);
    expect(await leftovers(spec.id)).toHaveLength(3);
    const controller = new AbortController();
    const step = run(job, 'sleep 600', controller.signal);
    setTimeout(() => controller.abort(), 300);
    expect((await step).exitCode).toBe(137);
    await job.dispose();
    expect(await leftovers(spec.id)).toEqual([]);
  });

  it('fails a step whose job container is gone with a message that names it', async () => {
    const job = await executor.prepareJob(jobSpec(), new AbortController().signal);
    await job.dispose();
    await expect(run(job, 'true')).rejects.toThrow(`could not run the step in the job container ${job.container.id!.slice(0, 12)}: No such container`);
  });

  it('cleanupOrphans removes what a killed run left behind, and nothing of live jobs', async () => {
    const liveSpec = jobSpec();
    const live = await executor.prepareJob(liveSpec, new AbortController().signal);
    const spec = jobSpec();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('testdata/hold-job.ts', import.meta.url)), spec.id, spec.workspace, spec.temp, JSON.stringify(web)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('ready')) resolve();
        });
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', () => reject(new Error(`the run exited before it was killed:\n${out}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // A crash leaves the job container, the service container and the network.
      expect(await leftovers(spec.id)).toHaveLength(3);
      expect(await executor.cleanupOrphans()).toBeGreaterThanOrEqual(3);
      expect(await leftovers(spec.id)).toEqual([]);
      expect(await leftovers(liveSpec.id)).toHaveLength(2);
      expect((await run(live, 'echo alive')).stdout).toEqual(['alive']);
    } finally {
      child.kill('SIGKILL');
      await live.dispose();
    }
  });
});

describe('docker executor without a daemon', () => {
  it('says the daemon does not answer and how to start it', async () => {
    const error = await createDockerExecutor({ socketPath: join(tmpdir(), `no-docker-${runId}.sock`) })
      .prepareJob({ id: 'x', workspace: tmpdir(), temp: tmpdir() }, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).message).toMatch(/the Docker daemon at .*no-docker-.*\.sock does not answer \(ENOENT\)/);
    expect((error as SlipwayError).hint).toContain('dockerd');
  });
});
