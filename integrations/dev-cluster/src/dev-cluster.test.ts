import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubernetesUnavailable } from '@slipway/testkit';
import { devClusterBinDir, devClusterStatus, startDevCluster, stopDevCluster } from './index.js';
import { isProcessAlive } from '@slipway/core';

const skip = kubernetesUnavailable() !== undefined || existsSync(join(devClusterBinDir(), 'kubectl')) === false;

/** True while anything listens on 127.0.0.1:port (from /proc/net/tcp: state 0A is LISTEN). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((f) => existsSync(f) && readFileSync(f, 'utf8').split('\n').some((l) => l.includes(`:${hex} `) && l.split(/\s+/)[4] === '0A'));
}

describe.skipIf(skip)('dev cluster (real binaries)', () => {
  it('starts, runs a Deployment to Available, and leaves nothing behind when stopped', { timeout: 120_000 }, async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'slipway-dev-cluster-test-')), 'cluster');
    const started = Date.now();
    const cluster = await startDevCluster({ stateDir, nodes: 2 });
    try {
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const again = await startDevCluster({ stateDir });
      expect(again.reused).toBe(true);
      expect(again.server).toBe(cluster.server);

      const kubectl = (...args: string[]) => execFileSync(join(devClusterBinDir(), 'kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', timeout: 90_000 });
      kubectl('create', 'deployment', 'web', '--image=registry.invalid/web:1', '--replicas=2');
      kubectl('wait', '--for=condition=Available', 'deployment/web', '--timeout=60s');
      const pods = JSON.parse(kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')) as { items: { status: { phase: string } }[] };
      expect(pods.items.map((p) => p.status.phase)).toEqual(['Running', 'Running']);

      const status = await devClusterStatus(stateDir);
      expect(status.ready).toBe(true);
      expect(status.nodes.map((n) => n.ready)).toEqual([true, true]);
    } finally {
      const before = await devClusterStatus(stateDir);
      await cluster.stop();
      const port = Number(new URL(cluster.server).port);
      expect(before.processes.filter((p) => isProcessAlive(p.pid))).toEqual([]);
      expect(listening(port)).toBe(false);
      expect(existsSync(stateDir)).toBe(false);
      rmSync(dirname(stateDir), { recursive: true, force: true });
    }
    // A second stop is a no-op.
    await stopDevCluster(stateDir);
  });
});

