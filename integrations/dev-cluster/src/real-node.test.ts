import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devClusterBinDir, missingBinaries, realNodeUnavailable, requiredBinaries, startDevCluster } from './index.js';

describe('the real node where it cannot run', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-real-node-test-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('says what is missing and how to get it (real-node.sh check)', () => {
    const bin = tempDir();
    expect(realNodeUnavailable(bin)).toContain(`${bin}/kubelet: build it with scripts/dev-cluster/build.sh`);
  });

  it.skipIf(missingBinaries().length > 0)('is refused by startDevCluster with SLW_DEV_CLUSTER before the control plane starts', async () => {
    // The control plane's binaries without the kubelet.
    const bin = tempDir();
    for (const name of requiredBinaries) symlinkSync(join(devClusterBinDir(), name), join(bin, name));
    const stateDir = join(tempDir(), 'cluster');
    const started = Date.now();
    await expect(startDevCluster({ stateDir, binDir: bin, realNode: true })).rejects.toMatchObject({ code: 'SLW_DEV_CLUSTER', message: expect.stringContaining(`a real node cannot run on this machine: ${bin}/kubelet`) });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(stateDir)).toBe(false);
  });
});
