import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerUnavailable } from '@slipway/executor-docker';
import { kubernetesUnavailable, realNodeUnavailable, registryUnavailable, testRealNode, testRegistry } from '@slipway/testkit';
import { devClusterBinDir } from '@slipway/dev-cluster';
import { tempDir, waitFor, type ServerProcess } from './harness.js';
import { startDemoProject } from './project-repo.js';

const skip = kubernetesUnavailable() ?? realNodeUnavailable() ?? dockerUnavailable() ?? registryUnavailable();

/**
 * The demo on the dev cluster's real node: a kubelet and containerd on this machine, so its pods really run. The demo
 * is built into images pushed to the local registry (api from its Dockerfile, web and worker by the zero-config
 * builder), and dev runs them on Kubernetes, placed on the real node (its node selector and toleration). The
 * readiness probes are real HTTP requests by the kubelet, so Available means the services answer. The test reaches
 * the pods at their IPs; web reaches the api as in any cluster, by `http://api:80` (the node's CoreDNS and kube-proxy).
 */
describe.skipIf(skip)('the demo on the real node', () => {
  const dir = tempDir('kubernetes-real-node');
  const namespace = `real-${randomBytes(3).toString('hex')}`;
  const repository = `real-${randomBytes(3).toString('hex')}`;
  let s: ServerProcess;
  let kubeconfig = '';
  const kubectl = (...args: string[]) => execFileSync(`${devClusterBinDir()}/kubectl`, ['--kubeconfig', kubeconfig, '-n', namespace, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    const node = testRealNode()!;
    kubeconfig = node.kubeconfig;
    const placement = `    kubernetes:\n      nodeSelector: ${JSON.stringify(node.placement.nodeSelector)}\n      tolerations: ${JSON.stringify(node.placement.tolerations)}\n`;
    ({ s } = await startDemoProject(
      dir.path,
      (yaml) =>
        yaml
          .replace('project: demo\n', `project: demo\nimages:\n  registry: ${testRegistry}\n  repository: ${repository}\n`)
          .replace('    command: node src/server.mjs\n    health:', '    command: node src/server.mjs\n    image:\n      dockerfile: Dockerfile\n    health:')
          .replaceAll(/^( {4}path: services\/\w+\n)/gm, `$1${placement}`)
          .replace(/environments:[\s\S]*$/, `environments:\n  dev:\n    target: { type: kubernetes, namespace: ${namespace} }\n`),
      { KUBECONFIG: kubeconfig },
    ));
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
    if (kubeconfig) execFileSync(`${devClusterBinDir()}/kubectl`, ['--kubeconfig', kubeconfig, 'delete', 'namespace', namespace, '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
    const images = execFileSync('docker', ['images', '-q', '--filter', `reference=${testRegistry}/${repository}/*`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    if (images.length) execFileSync('docker', ['rmi', '-f', ...new Set(images)], { stdio: 'ignore' });
    dir.remove();
  });

  it('runs the three services in pods on the real node, ready by real HTTP probes, answering at their pod IPs, web calling api by name', async () => {
    await waitFor('dev healthy on the real node', async () => {
      const env = (await s.status()).projects[0]!.environments.find((e) => e.name === 'dev');
      return env?.health === 'healthy' && env.services.length === 3;
    }, 240_000, 500);
    const pods = JSON.parse(kubectl('get', 'pods', '-o', 'json')) as { items: { metadata: { labels: Record<string, string> }; spec: { nodeName: string; containers: { image: string }[] }; status: { podIP: string; phase: string } }[] };
    expect(pods.items.map((p) => p.metadata.labels['slipway.dev/service']).sort()).toEqual(['api', 'web', 'worker']);
    for (const p of pods.items) {
      expect(p.spec.nodeName).toBe('slipway-node');
      expect(p.status.phase).toBe('Running');
      // By digest, from the local registry.
      expect(p.spec.containers[0]!.image).toMatch(new RegExp(`^${testRegistry}/${repository}/\\w+@sha256:[0-9a-f]{64}$`));
    }
    const api = pods.items.find((p) => p.metadata.labels['slipway.dev/service'] === 'api')!;
    const answer = await fetch(`http://${api.status.podIP}:8080/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(answer.status).toBe(200);
    // What the api printed, through the API server and the kubelet.
    expect(kubectl('logs', '-l', 'slipway.dev/service=api', '--tail=20')).not.toBe('');
    // web renders its page from the api's answer, at API_URL http://api:80: the Service's name through the node's
    // cluster DNS, its cluster IP through kube-proxy, to the api's pod.
    const web = pods.items.find((p) => p.metadata.labels['slipway.dev/service'] === 'web')!;
    const page = await (await fetch(`http://${web.status.podIP}:8080/`, { signal: AbortSignal.timeout(5_000) })).text();
    expect(page).toContain('<p class="greeting">');
    expect(page).not.toContain('not available');
  }, 300_000);
});
