import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceUnavailable } from '@slipway/testkit';

const buildScript = fileURLToPath(new URL('../../../scripts/build-base-image.sh', import.meta.url));

/**
 * For tests: a reason to skip when no Docker daemon answers (it throws under SLIPWAY_REQUIRE_SERVICES=1), else
 * undefined, with slipway/node:20 and slipway/runner:latest built (the script returns at once when they are current).
 * Synchronous because vitest decides what to skip while it collects the tests.
 */
export function dockerUnavailable(): string | undefined {
  return serviceUnavailable('docker', () => {
    const host = process.env.DOCKER_HOST;
    const socket = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    const ping = spawnSync(
      process.execPath,
      ['-e', `require('node:http').get({ socketPath: ${JSON.stringify(socket)}, path: '/_ping' }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', (e) => { console.error(e.code); process.exit(1); })`],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (ping.status !== 0) return `no Docker daemon answers at ${socket} (${ping.stderr.trim() || 'timeout'}); start one: setsid dockerd -H unix:///var/run/docker.sock &`;
    const build = spawnSync(buildScript, { encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) return `scripts/build-base-image.sh failed: ${(build.stderr || build.stdout).trim()}`;
    return undefined;
  });
}
