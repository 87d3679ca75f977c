import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devClusterBinDir } from '@slipway/dev-cluster';
import { kubernetesUnavailable, testKubeconfig } from './kubernetes.js';

describe.skipIf(kubernetesUnavailable() !== undefined)('the shared test cluster', () => {
  it('reaches test files through testKubeconfig(), started once and reused', { timeout: 90_000 }, () => {
    const kubeconfig = testKubeconfig();
    expect(kubeconfig).toBeDefined();
    expect(testKubeconfig()).toBe(kubeconfig);
    const nodes = execFileSync(join(devClusterBinDir(), 'kubectl'), ['--kubeconfig', kubeconfig!, 'get', 'nodes', '-o', 'name'], { encoding: 'utf8' });
    // Three kwok nodes; the real node (slipway-node) joins when a test file of this run asks for it with testRealNode().
    expect(nodes.trim().split('\n').filter((n) => n.startsWith('node/kwok-node-'))).toHaveLength(3);
  });
});
