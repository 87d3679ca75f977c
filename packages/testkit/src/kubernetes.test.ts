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
    expect(nodes.trim().split('\n')).toHaveLength(3);
  });
});
