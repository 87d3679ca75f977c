import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runExecutorConformance } from '@slipway/testkit';
import { describe } from 'vitest';
import { createKubernetesExecutor } from './kubernetes-executor.js';

/**
 * The Executor conformance suite on a node that really runs containers (kubelet and containerd on this machine, so
 * that the hostPath workspace is the host's directory: scripts/dev-cluster/real-node.sh). Opt-in, as that node is not
 * in CI: SLIPWAY_TEST_REAL_NODE_KUBECONFIG names the cluster's kubeconfig (its API server needs
 * --kubelet-preferred-address-types=InternalIP,Hostname and a kubelet client certificate for exec);
 * SLIPWAY_TEST_REAL_NODE_IMAGE is a job image the node can pull, with sh, bash and node (default
 * slipway/runner:latest; with real-node.sh, pushed to its REGISTRY); SLIPWAY_TEST_REAL_NODE_NAME is the node
 * (default slipway-node), which job pods are pinned to, away from the kwok nodes that run nothing.
 */
const kubeconfig = process.env.SLIPWAY_TEST_REAL_NODE_KUBECONFIG;
const namespace = process.env.SLIPWAY_TEST_REAL_NODE_NAMESPACE ?? 'slipway-ci';
if (!kubeconfig) console.warn('\n[slipway] SKIPPING the Kubernetes executor conformance suite: no SLIPWAY_TEST_REAL_NODE_KUBECONFIG (a cluster with a real node on this machine)\n');

describe.skipIf(!kubeconfig)('kubernetes on a real node', () => {
  runExecutorConformance('kubernetes', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig!);
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
    const image = process.env.SLIPWAY_TEST_REAL_NODE_IMAGE;
    const nodeSelector = { 'kubernetes.io/hostname': process.env.SLIPWAY_TEST_REAL_NODE_NAME ?? 'slipway-node' };
    return { executor: createKubernetesExecutor({ kubeconfig: kubeconfig!, namespace, nodeSelector, ...(image ? { image } : {}) }), cleanup: async () => {} };
  });
});
