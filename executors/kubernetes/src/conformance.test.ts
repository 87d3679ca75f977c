import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { realNodeUnavailable, runExecutorConformance, testRealNode } from '@slipway/testkit';
import { describe } from 'vitest';
import { createKubernetesExecutor } from './kubernetes-executor.js';

/**
 * The Executor conformance suite on the real node of the run's dev cluster (a kubelet and containerd on this machine,
 * scripts/dev-cluster/real-node.sh), so that steps really run in the job pod's container and the hostPath workspace is
 * the host's directory. Job pods are pinned to that node (its name as node selector, a toleration of its taint) and run
 * slipway/runner:latest, loaded into its containerd (IfNotPresent: nothing is pulled).
 */
const namespace = 'slipway-ci-conformance';

describe.skipIf(realNodeUnavailable() !== undefined)('kubernetes on a real node', () => {
  runExecutorConformance('kubernetes', async () => {
    const node = testRealNode()!;
    const kc = new KubeConfig();
    kc.loadFromFile(node.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
    const executor = createKubernetesExecutor({ kubeconfig: node.kubeconfig, namespace, image: node.image, imagePullPolicy: 'IfNotPresent', ...node.placement });
    return { executor, cleanup: async () => void (await core.deleteNamespace({ name: namespace }).catch(() => undefined)) };
  });
});
