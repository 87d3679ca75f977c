import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getOnNewConnection, kubernetesUnavailable, realNodeUnavailable as testRealNodeUnavailable, testRealNode } from '@slipway/testkit';
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

describe.skipIf((kubernetesUnavailable() ?? testRealNodeUnavailable()) !== undefined)('the real node\'s kube-proxy and cluster DNS', () => {
  const namespace = `kube-proxy-${randomBytes(3).toString('hex')}`;
  let kubeconfig = '';
  const kubectl = (args: string[], input?: string) => execFileSync(join(devClusterBinDir(), 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input });

  afterAll(() => {
    if (kubeconfig) kubectl(['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
  });

  it('routes a Service\'s cluster IP from the host to its pod on the node', { timeout: 120_000 }, async () => {
    const node = testRealNode()!;
    kubeconfig = node.kubeconfig;
    const started = Date.now();
    // A bare Pod (no Deployment: one less controller to wait for) and a Service port 80 -> 8080 selecting it.
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-server', namespace, labels: { app: 'web' } },
      spec: {
        ...node.placement,
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'web', image: 'slipway/node:20', imagePullPolicy: 'IfNotPresent', command: ['node', '-e', "require('http').createServer((q, r) => r.end('ok')).listen(8080)"], ports: [{ containerPort: 8080 }] }],
      },
    };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
    kubectl(['create', 'namespace', namespace]);
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod, service] }));
    const clusterIP = kubectl(['get', 'service', 'web', '-n', namespace, '-o', 'jsonpath={.spec.clusterIP}']);
    expect(clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    // Until the pod is ready, its endpoint is not in the Service (the connection is rejected); until kube-proxy has
    // programmed the Service at all, the cluster IP is just an address off this machine (whatever answers there, if
    // anything, is not the pod). Retry for a while, on a new connection each time: a kept-alive one opened before
    // the rules existed would stay with whatever answered it.
    let answer = '';
    while (Date.now() - started < 60_000) {
      answer = await getOnNewConnection(`http://${clusterIP}/`, 2_000).then((r) => r.body, () => '');
      if (answer === 'ok') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // When it never answers, say what the pod and the rules looked like.
    const diagnose = () => `${kubectl(['get', 'pod,endpointslices', '-n', namespace, '-o', 'wide'])}\n${kubectl(['get', 'events', '-n', namespace])}\n${execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(clusterIP) || l.includes(namespace)).join('\n')}`;
    expect(answer, answer === 'ok' ? '' : diagnose()).toBe('ok');
  });

  it('resolves Services by name in pods (CoreDNS), and other names through the host\'s resolver', { timeout: 60_000 }, async () => {
    const inPod = (script: string) => kubectl(['exec', '-n', namespace, 'web-server', '--', 'node', '-e', script]).trim();
    // The pod and Service of the test above: from inside the pod, its own Service by short and by full name (hairpin;
    // the pod is not named web, or its /etc/hosts would answer for the short name).
    expect(inPod(`Promise.all(['http://web/', 'http://web.${namespace}.svc.cluster.local/'].map((u) => fetch(u).then((r) => r.text()))).then((a) => console.log(a.join(',')))`)).toBe('ok,ok');
    expect(inPod("require('dns').promises.resolve4('kubernetes.default.svc.cluster.local').then((a) => console.log(a.join(',')))")).toBe('10.96.0.1');
    // A name outside the cluster goes to the host's nameserver: the pod resolves it exactly when this machine does.
    const resolves = "require('dns').promises.resolve4('registry.npmjs.org').then((a) => console.log(a.length > 0), () => console.log(false))";
    const onHost = await import('node:dns').then((dns) => dns.promises.resolve4('registry.npmjs.org').then((a) => a.length > 0, () => false));
    expect(inPod(resolves)).toBe(String(onHost));
  });
});
