import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runExecutorConformance } from '@slipway/testkit';
import { describe } from 'vitest';
import { createKubernetesExecutor } from './kubernetes-executor.js';

/**
 * The Executor conformance suite on a cluster whose node really runs containers (kubelet and containerd on this
 * machine, so that the hostPath workspace is the host's directory). Opt-in: SLIPWAY_TEST_REAL_NODE_KUBECONFIG names
 * its kubeconfig; SLIPWAY_TEST_REAL_NODE_IMAGE is a job image the node's runtime has, with sh, bash and node
 * (default slipway/runner:latest). kwok nodes run nothing, so the dev cluster cannot run this.
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
    return { executor: createKubernetesExecutor({ kubeconfig: kubeconfig!, namespace, ...(image ? { image } : {}) }), cleanup: async () => {} };
  });
});
