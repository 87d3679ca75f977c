import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredService, TargetDriver } from '@slipway/core';
import type { TargetDriverConformanceSetup } from './target-driver-conformance.js';

/**
 * The traffic conformance suite, for drivers with `traffic` (canary and blue-green): a second version takes its weight
 * of requests (spread evenly) and every request with the header, is promoted with the old version kept warm for a
 * switch back, or aborted at once; each request is recorded with its version.
 */
export function runTrafficConformance(name: string, setup: () => Promise<TargetDriverConformanceSetup>): void {
  describe(`${name} traffic control`, () => {
    let s: TargetDriverConformanceSetup;
    const env = `traffic-${Date.now().toString(36)}`;
    afterAll(async () => s?.cleanup());
    const desired = async (version: string, body: 'healthy' | 'failing' = 'healthy'): Promise<DesiredService> => ({
      service: 'api',
      releaseId: `release-${version}`,
      revision: `rev-${version}-${env}`,
      artifact: await s.makeArtifact(body, version),
      command: s.command ?? 'node server.mjs',
      env: {},
      health: { path: '/healthz', timeoutSeconds: 20, intervalSeconds: 0.1 },
    });
    const driver = (): TargetDriver & { traffic: NonNullable<TargetDriver['traffic']> } => s.driver as never;
    const urlOf = async () => (await s.driver.observe(env, ['api'])).services[0]!.url!;
    const hits = async (n: number, headers: Record<string, string> = {}) => {
      const url = await urlOf();
      const out: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        const res = await fetch(url, { headers });
        const body = await res.text();
        out[`${res.status} ${body}`] = (out[`${res.status} ${body}`] ?? 0) + 1;
      }
      return out;
    };

    it('sends the weight of requests to the canary, evenly, and every request with the header', async () => {
      s = await setup();
      expect(s.driver.traffic).toBeDefined();
      const v1 = await desired('v1');
      const plan = s.driver.plan({ environment: env, services: [v1] }, await s.driver.observe(env, ['api']));
      expect((await s.driver.apply(plan, {})).results[0]).toMatchObject({ ok: true });
      const since = Date.now();
      expect(await driver().traffic.startCanary(env, await desired('v2', 'failing'), { weight: 10, header: { name: 'x-canary', value: 'yes' } })).toBeNull();
      expect(driver().traffic.canaryRevision(env, 'api')).toBe(`rev-v2-${env}`);
      expect(await hits(50)).toEqual({ '200 v1': 45, '500 v2': 5 });
      expect(await hits(3, { 'x-canary': 'yes' })).toEqual({ '500 v2': 3 });
      await driver().traffic.setRoute(env, 'api', { weight: 50 });
      expect(await hits(10)).toEqual({ '200 v1': 5, '500 v2': 5 });
      const samples = driver().traffic.samples(env, 'api', since);
      expect(samples.filter((x) => x.version === `rev-v2-${env}`).map((x) => x.status)).toEqual(Array(13).fill(500));
      expect(samples.filter((x) => x.version === `rev-v1-${env}`)).toHaveLength(50);
      const totals = driver().traffic.totals().filter((t) => t.environment === env);
      expect(totals.find((t) => t.version === `rev-v2-${env}`)).toMatchObject({ requests: 13, errors: 13 });
      // The observed service is still the stable version.
      expect((await s.driver.observe(env, ['api'])).services[0]).toMatchObject({ revision: `rev-v1-${env}`, health: 'healthy' });
    });

    it('aborts at once: every request on the stable version, the canary stopped', async () => {
      await driver().traffic.abort(env, 'api');
      expect(driver().traffic.canaryRevision(env, 'api')).toBeNull();
      expect(await hits(20)).toEqual({ '200 v1': 20 });
    });

    it('promotes at once, keeps the old version warm, and switches back to it', async () => {
      expect(await driver().traffic.startCanary(env, await desired('v3'), { weight: 0 })).toBeNull();
      expect(await hits(5)).toEqual({ '200 v1': 5 });
      await driver().traffic.promote(env, 'api', 60_000);
      expect(await hits(5)).toEqual({ '200 v3': 5 });
      expect((await s.driver.observe(env, ['api'])).services[0]).toMatchObject({ revision: `rev-v3-${env}`, health: 'healthy' });
      expect(await driver().traffic.switchBack(env, 'api')).toBe(true);
      expect(await hits(5)).toEqual({ '200 v1': 5 });
      expect((await s.driver.observe(env, ['api'])).services[0]).toMatchObject({ revision: `rev-v1-${env}`, health: 'healthy' });
      expect(await driver().traffic.switchBack(env, 'api')).toBe(false);
    });

    it('stops the warm version after the delay', async () => {
      expect(await driver().traffic.startCanary(env, await desired('v4'), { weight: 0 })).toBeNull();
      await driver().traffic.promote(env, 'api', 200);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await driver().traffic.switchBack(env, 'api')).toBe(false);
      expect(await hits(5)).toEqual({ '200 v4': 5 });
    });
  });
}
