import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import type { TargetDriver } from '@slipway/core';
import { kubernetesUnavailable, realNodeUnavailable, runTargetDriverConformance, testRealNode, waitForNodeProxy, writeConformanceServer, type ConformanceArtifactBody, type NodeRoute } from '@slipway/testkit';
import { createKubernetesDriver, type KubernetesDriver } from './driver.js';
import type { KubeObject } from './objects.js';

const skip = kubernetesUnavailable() ?? realNodeUnavailable();

/**
 * The TargetDriver conformance suite every target passes, on the dev cluster's real node: pods really run (the
 * artifact mounted from the node on slipway/node:20, as the Kubernetes target does for a project without images),
 * readiness is the kubelet's HTTP probe, and the url is the Service's cluster IP, which the node's kube-proxy routes
 * from this machine. Each test's environment is its own namespace. Requests open a connection each (kube-proxy
 * balances connections), and apply waits for this node's kube-proxy to program the result (waitForNodeProxy).
 */
describe.skipIf(skip)('kubernetes target', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-k8s-conformance-'));
  // Readable by the container's user: the artifacts are mounted from this directory.
  chmodSync(root, 0o755);
  const drivers: KubernetesDriver[] = [];
  const namespaces = new Set<string>();
  let artifacts = 0;
  const makeArtifact = async (body: ConformanceArtifactBody, version: string) => writeConformanceServer(join(root, `${version}-${++artifacts}`), body, version);

  afterAll(async () => {
    for (const d of drivers) await d.close();
    const node = testRealNode();
    if (node && namespaces.size > 0) {
      const { execFileSync } = await import('node:child_process');
      const { devClusterBinDir } = await import('@slipway/dev-cluster');
      execFileSync(join(devClusterBinDir(), 'kubectl'), ['--kubeconfig', node.kubeconfig, 'delete', 'namespace', ...namespaces, '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
    }
    rmSync(root, { recursive: true, force: true });
  });

  runTargetDriverConformance('kubernetes (real node)', async () => {
    const node = testRealNode()!;
    const kubeconfig = readFileSync(node.kubeconfig, 'utf8');
    const driver = createKubernetesDriver({
      targetOf: async (environment) => {
        const namespace = environment.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
        namespaces.add(namespace);
        return { namespace, kubeconfig, placement: { nodeSelector: node.placement.nodeSelector, tolerations: node.placement.tolerations.map((t) => ({ ...t })) } };
      },
    });
    drivers.push(driver);
    // The test's client is the real node: after apply, it waits for the node's kube-proxy to program what the
    // driver left (the Services and the endpoints the API lists), as any client in a cluster gets it a moment later.
    const settled: TargetDriver = {
      ...driver,
      async apply(plan, applyOptions) {
        const result = await driver.apply(plan, applyOptions);
        const { cluster, ctx } = await driver.resolve(plan.environment);
        const routes: NodeRoute[] = [];
        for (const { service } of result.results) {
          const svc = await cluster.client.request<KubeObject>('GET', `/api/v1/namespaces/${ctx.namespace}/services/${service}`, { accept404: true });
          const port = (svc.body.spec?.ports as { port: number }[] | undefined)?.[0]?.port;
          if (svc.status !== 200 || !port) continue;
          const slices = await cluster.client.request<{ items: KubeObject[] }>('GET', `/apis/discovery.k8s.io/v1/namespaces/${ctx.namespace}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`);
          const endpoints = slices.body.items.flatMap((slice) => {
            const targetPort = (slice.ports as { port: number }[] | undefined)?.[0]?.port;
            return ((slice.endpoints as { addresses: string[]; conditions?: { ready?: boolean } }[] | undefined) ?? []).filter((e) => e.conditions?.ready !== false).map((e) => `${e.addresses[0]}:${targetPort}`);
          });
          routes.push({ clusterIP: String(svc.body.spec?.clusterIP), port, endpoints });
        }
        await waitForNodeProxy(routes);
        return result;
      },
    };
    return { driver: settled, makeArtifact, cleanup: async () => {} };
  });
});
