import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUnavailable } from '@slipway/testkit';
import { cli, freePort, startSlipway, tempDir, type ServerProcess } from './harness.js';

/** An address beyond loopback that only this machine can reach: one end of a veth pair the test creates (root only). */
const iface = 'slwtest0';
const address = '10.203.0.1';
const reason = serviceUnavailable('a non-loopback test address', () => {
  try {
    execFileSync('sh', ['-c', `ip addr show ${iface} 2>/dev/null | grep -q ${address} || (ip link add ${iface} type veth peer name ${iface}p && ip addr add ${address}/32 dev ${iface} && ip link set ${iface} up && ip link set ${iface}p up)`], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'cannot create a veth network interface (needs root and iproute2)';
  }
});

describe.skipIf(reason)('authentication beyond loopback', () => {
  const dir = tempDir('auth');
  let s: ServerProcess | undefined;
  let admin = '';
  let viewer = '';

  beforeAll(async () => {
    const port = await freePort();
    const refused = await cli(['server', '--data-dir', dir.path, '--host', address, '--port', String(port)]);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/SLW_AUTH_NOT_CONFIGURED/);
    const created = await cli(['tokens', 'create', '--role', 'admin', '--name', 'root', '--data-dir', dir.path, '--json']);
    expect(created.code).toBe(0);
    admin = (JSON.parse(created.stdout) as { token: string }).token;
    s = await startSlipway(['server', '--data-dir', dir.path], { port, host: address });
    const v = await cli(['tokens', 'create', '--role', 'viewer', '--name', 'watcher', '--json', '--server', s.url, '--token', admin]);
    expect(v.code).toBe(0);
    viewer = (JSON.parse(v.stdout) as { token: string }).token;
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
    execFileSync('sh', ['-c', `ip link del ${iface} 2>/dev/null || true`]);
  });

  it('answers 401 to API and dashboard requests without a token', async () => {
    expect((await fetch(`${s!.url}/api/status`)).status).toBe(401);
    expect((await fetch(`${s!.url}/api/openapi.json`)).status).toBe(401);
    const page = await fetch(`${s!.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/requires an API token/);
    const body = (await (await fetch(`${s!.url}/api/runs`)).json()) as { error: { code: string } };
    expect(body.error.code).toBe('SLW_AUTH_REQUIRED');
    expect((await fetch(`${s!.url}/api/status`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${s!.url}/healthz`)).status).toBe(200);
  });

  it('lets a viewer read but not deploy (403)', async () => {
    expect((await fetch(`${s!.url}/api/status`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    const deploy = await fetch(`${s!.url}/api/environments/any/deploy`, { method: 'POST', headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ releaseId: 'x' }) });
    expect(deploy.status).toBe(403);
    expect(((await deploy.json()) as { error: { code: string } }).error.code).toBe('SLW_AUTH_FORBIDDEN');
    const cliDeploy = await cli(['tokens', 'create', '--role', 'admin', '--server', s!.url, '--token', viewer]);
    expect(cliDeploy.code).toBe(77);
    // The admin token is never echoed back by the API.
    const tokens = await (await fetch(`${s!.url}/api/tokens`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(tokens).not.toContain(admin);
    expect(tokens).not.toContain(viewer);
  });
});
