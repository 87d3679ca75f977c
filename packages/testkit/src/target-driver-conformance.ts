import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getOnNewConnection } from './http-get.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDriver, type ApplyProgress, type ApplyResult, type DesiredService, type TargetDriver } from '@slipway/core';

/** What the test server of an artifact does: serve, fail its health check, exit 1 at start, or pass its health check and answer 500 elsewhere. */
export type ConformanceArtifactBody = 'healthy' | 'unhealthy' | 'crash' | 'failing';

/** What an adapter hands to {@link runTargetDriverConformance}. */
export interface TargetDriverConformanceSetup {
  driver: TargetDriver;
  /** Builds an artifact whose server answers `/` with `version` (see {@link writeConformanceServer}); returns its location. */
  makeArtifact: (body: ConformanceArtifactBody, version: string) => Promise<string>;
  /** Shell command that starts the artifact's server; `node server.mjs` when absent. */
  command?: string;
  /** Stops everything the driver started. */
  cleanup: () => Promise<void>;
}

/**
 * Writes `server.mjs` into `dir`: a tiny node:http server on `$PORT` (and `$HOST`) that answers `/` with `version`,
 * `/env/<NAME>` with that variable, and `/healthz` with 200 ('healthy') or 500 ('unhealthy'). 'crash' prints a line
 * to stderr and exits 1 at start. Every request is logged to stdout. Returns `dir`.
 */
export async function writeConformanceServer(dir: string, body: ConformanceArtifactBody, version: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const script = `import { createServer } from 'node:http';
const version = ${JSON.stringify(version)};
const body = ${JSON.stringify(body)};
if (body === 'crash') {
  console.error('crashing on purpose (version ' + version + ')');
  process.exit(1);
}
// PID 1 in a container ignores SIGTERM unless it handles it.
process.on('SIGTERM', () => process.exit(0));
const server = createServer((req, res) => {
  console.log(req.method + ' ' + req.url);
  if (req.url === '/healthz') {
    res.writeHead(body === 'unhealthy' ? 500 : 200, { 'content-type': 'text/plain' });
    res.end(body);
  } else if (req.url.startsWith('/env/')) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(process.env[req.url.slice(5)] ?? '');
  } else {
    res.writeHead(body === 'failing' ? 500 : 200, { 'content-type': 'text/plain', 'x-version': version });
    res.end(version);
  }
});
server.listen(Number(process.env.PORT), process.env.HOST || '0.0.0.0', () => {
  console.log('listening on port ' + process.env.PORT + ' with version ' + version);
});
`;
  await writeFile(join(dir, 'server.mjs'), script);
  return dir;
}

/**
 * The TargetDriver conformance suite: every target driver runs it, through the driver API only (validated by
 * `validateDriver`). Each test uses its own environment, so tests do not depend on each other.
 */
export function runTargetDriverConformance(name: string, setup: () => Promise<TargetDriverConformanceSetup>): void {
  describe(`TargetDriver conformance: ${name}`, () => {
    let kit: TargetDriverConformanceSetup | undefined;
    let driver: TargetDriver;
    const runId = randomBytes(3).toString('hex');
    let environments = 0;
    const newEnvironment = () => `conformance-${runId}-${++environments}`;

    beforeAll(async () => {
      kit = await setup();
      driver = validateDriver(kit.driver);
    });
    afterAll(async () => {
      await kit?.cleanup();
    });

    const desired = async (service: string, body: ConformanceArtifactBody, version: string, timeoutSeconds = 10): Promise<DesiredService> => ({
      service,
      releaseId: `release-${version}`,
      revision: `rev-${version}-${runId}`,
      artifact: await kit!.makeArtifact(body, version),
      command: kit!.command ?? 'node server.mjs',
      env: { GREETING: `hello from ${version}` },
      health: { path: '/healthz', timeoutSeconds, intervalSeconds: 0.1 },
    });

    const deploy = async (environment: string, want: DesiredService, onProgress?: (p: ApplyProgress) => void): Promise<ApplyResult['results'][number]> => {
      const observed = await driver.observe(environment, [want.service]);
      const plan = driver.plan({ environment, services: [want] }, observed);
      const result = await driver.apply(plan, { onProgress });
      expect(result.results).toHaveLength(1);
      return result.results[0]!;
    };

    const observeOne = async (environment: string, service: string) => {
      const observed = await driver.observe(environment, [service]);
      expect(observed.environment).toBe(environment);
      return observed.services[0]!;
    };

    it('observes services it has never seen as missing, in the order asked', async () => {
      const observed = await driver.observe(newEnvironment(), ['web', 'api']);
      expect(observed.services.map((s) => s.service)).toEqual(['web', 'api']);
      for (const service of observed.services) {
        expect(service).toMatchObject({ health: 'missing', revision: null, releaseId: null, instances: [] });
      }
    });

    it('creates a service that becomes healthy at a url that serves it', async () => {
      const env = newEnvironment();
      const v1 = await desired('web', 'healthy', 'v1');
      const progress: ApplyProgress[] = [];
      const result = await deploy(env, v1, (p) => progress.push(p));
      expect(result).toMatchObject({ service: 'web', action: 'create', ok: true });
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p.service === 'web')).toBe(true);

      const web = await observeOne(env, 'web');
      expect(web).toMatchObject({ health: 'healthy', revision: v1.revision, releaseId: v1.releaseId });
      expect(web.instances.length).toBeGreaterThan(0);
      expect(web.url).toMatch(/^https?:\/\//);
      expect(await get(web.url!)).toEqual({ status: 200, body: 'v1' });
      // The instance runs with the desired environment variables.
      expect(await get(web.url!, '/env/GREETING')).toEqual({ status: 200, body: 'hello from v1' });
    });

    it('replaces a revision behind the same url', async () => {
      const env = newEnvironment();
      expect(await deploy(env, await desired('web', 'healthy', 'v1'))).toMatchObject({ ok: true });
      const before = await observeOne(env, 'web');
      const v2 = await desired('web', 'healthy', 'v2');
      expect(await deploy(env, v2)).toMatchObject({ action: 'replace', ok: true });
      const after = await observeOne(env, 'web');
      expect(after).toMatchObject({ health: 'healthy', revision: v2.revision, releaseId: v2.releaseId, url: before.url });
      expect(await get(after.url!)).toEqual({ status: 200, body: 'v2' });
    });

    it('keeps answering at the url while a revision is replaced', async () => {
      const env = newEnvironment();
      expect(await deploy(env, await desired('web', 'healthy', 'v1'))).toMatchObject({ ok: true });
      const { url } = await observeOne(env, 'web');
      const v2 = await desired('web', 'healthy', 'v2');
      const failures: string[] = [];
      const bodies = new Set<string>();
      let requests = 0;
      let stop = false;
      const hammer = async () => {
        while (!stop) {
          requests++;
          try {
            const answer = await get(url!);
            if (answer.status === 200) bodies.add(answer.body);
            else failures.push(`HTTP ${answer.status}: ${answer.body}`);
          } catch (err) {
            failures.push(String(err));
          }
        }
      };
      const loops = Array.from({ length: 4 }, hammer);
      const result = await deploy(env, v2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      stop = true;
      await Promise.all(loops);
      expect(result).toMatchObject({ ok: true });
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(10);
      expect([...bodies].sort()).toEqual(['v1', 'v2']);
      expect(await get(url!)).toEqual({ status: 200, body: 'v2' });
    });

    it('serves a service from its replicas, and replaces them all', async () => {
      const env = newEnvironment();
      const v1 = { ...(await desired('web', 'healthy', 'v1')), replicas: 2 };
      expect(await deploy(env, v1)).toMatchObject({ ok: true });
      const web = await observeOne(env, 'web');
      expect(web).toMatchObject({ health: 'healthy', revision: v1.revision });
      expect(new Set(web.instances.map((i) => i.id)).size).toBe(2);
      expect(web.instances.every((i) => i.health === 'healthy')).toBe(true);
      for (let i = 0; i < 4; i++) expect(await get(web.url!)).toEqual({ status: 200, body: 'v1' });
      // Down to one replica with the next revision: the two old ones stop.
      expect(await deploy(env, await desired('web', 'healthy', 'v2'))).toMatchObject({ ok: true, action: 'replace' });
      const after = await observeOne(env, 'web');
      expect(after.instances).toHaveLength(1);
      expect(after.url).toBe(web.url);
      expect(await get(after.url!)).toEqual({ status: 200, body: 'v2' });
    });

    it('fails an unhealthy revision with a message and keeps the old one serving', async () => {
      const env = newEnvironment();
      const v1 = await desired('web', 'healthy', 'v1');
      expect(await deploy(env, v1)).toMatchObject({ ok: true });
      const result = await deploy(env, await desired('web', 'unhealthy', 'v2', 2));
      expect(result).toMatchObject({ action: 'replace', ok: false });
      expect(result.message).toBeTruthy();
      const web = await observeOne(env, 'web');
      expect(web).toMatchObject({ health: 'healthy', revision: v1.revision });
      expect(await get(web.url!)).toEqual({ status: 200, body: 'v1' });
    });

    it('fails a crashing revision without waiting for the health timeout, keeping the old one serving', async () => {
      const env = newEnvironment();
      const v1 = await desired('web', 'healthy', 'v1');
      expect(await deploy(env, v1)).toMatchObject({ ok: true });
      const started = Date.now();
      const result = await deploy(env, await desired('web', 'crash', 'v2', 20));
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result).toMatchObject({ ok: false });
      // The message says why, with what the instance printed.
      expect(result.message).toContain('crashing on purpose');
      const web = await observeOne(env, 'web');
      expect(web).toMatchObject({ health: 'healthy', revision: v1.revision });
      expect(await get(web.url!)).toEqual({ status: 200, body: 'v1' });
    });

    it('fails a first deploy that crashes and observes no serving revision', async () => {
      const env = newEnvironment();
      const result = await deploy(env, await desired('web', 'crash', 'v1', 20));
      expect(result).toMatchObject({ action: 'create', ok: false });
      const web = await observeOne(env, 'web');
      expect(web.revision).toBeNull();
      expect(web.health).not.toBe('healthy');
    });

    it('plans a create for a missing service and nothing once desired equals observed', async () => {
      const env = newEnvironment();
      const v1 = await desired('web', 'healthy', 'v1');
      const first = driver.plan({ environment: env, services: [v1] }, await driver.observe(env, ['web']));
      expect(first.actions.map((a) => a.type)).toEqual(['create']);
      expect(await deploy(env, v1)).toMatchObject({ ok: true });
      const again = driver.plan({ environment: env, services: [v1] }, await driver.observe(env, ['web']));
      expect(again.actions.map((a) => a.type)).toEqual(['noop']);
      const result = await driver.apply(again, {});
      expect(result.results.every((r) => r.ok)).toBe(true);
    });

    it('deletes a service, which is then missing', async () => {
      const env = newEnvironment();
      expect(await deploy(env, await desired('web', 'healthy', 'v1'))).toMatchObject({ ok: true });
      const { url } = await observeOne(env, 'web');
      await driver.delete(env, 'web');
      expect(await observeOne(env, 'web')).toMatchObject({ health: 'missing', revision: null, instances: [] });
      const answer = await get(url!).catch(() => null);
      expect(answer?.body).not.toBe('v1');
      // Deleting what does not exist is not an error.
      await driver.delete(env, 'web');
      await driver.delete(env, 'never-deployed');
    });

    it('returns the last lines a service printed', async () => {
      const env = newEnvironment();
      expect(await deploy(env, await desired('web', 'healthy', 'v1'))).toMatchObject({ ok: true });
      const { url } = await observeOne(env, 'web');
      await get(url!, '/printed-line');
      await eventually(async () => {
        const { lines } = await driver.logs({ environment: env, service: 'web', tail: 50 });
        expect(lines.some((line) => line.includes('with version v1'))).toBe(true);
        expect(lines.some((line) => line.includes('GET /printed-line'))).toBe(true);
      });
      const { lines } = await driver.logs({ environment: env, service: 'web', tail: 1 });
      expect(lines).toHaveLength(1);
    });
  });
}

function get(url: string, path = '/'): Promise<{ status: number; body: string }> {
  return getOnNewConnection(new URL(path, url).toString());
}

/** Retries an assertion for a few seconds: some targets (Docker, Kubernetes) collect logs asynchronously. */
async function eventually(assertion: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
