import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { cli, freePort, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';
import { testCluster } from '../../drivers/kubernetes/src/test-cluster.js';

const cluster = testCluster();

/**
 * Several clusters and namespaces: `dev` uses the server's own kubeconfig, `qa` a kubeconfig stored as the secret
 * KUBECONFIG_QA and one of its contexts (not the current one). Both point at the test cluster, each in its own
 * namespace; the secret's kubeconfig holds client certificates, which must never show in events, errors or the API.
 */
describe.skipIf(!cluster)('Kubernetes clusters as kubeconfig secrets', () => {
  const dir = tempDir('kubernetes-clusters');
  const repo = join(dir.path, 'repo');
  const run = Date.now().toString(36);
  const namespaces = [`dev-${run}`, `qa-${run}`];
  let s: ServerProcess;
  let kubeconfig = '';
  const envs = async () => (await s.status()).projects[0]!.environments;

  beforeAll(async () => {
    // The test cluster's kubeconfig, self-contained, its context renamed, and a current context that goes nowhere.
    const flat = execFileSync(cluster!.kubectl, ['config', 'view', '--raw', '--flatten', '--kubeconfig', cluster!.kubeconfig], { encoding: 'utf8' });
    const doc = parse(flat) as { contexts: { name: string; context: object }[]; 'current-context': string };
    doc.contexts = [{ ...doc.contexts[0]!, name: 'qa-admin' }, { name: 'nowhere', context: { cluster: 'none', user: 'none' } }];
    doc['current-context'] = 'nowhere';
    kubeconfig = stringify(doc);
    expect(kubeconfig).toContain('client-key-data');
    cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
    const config = readFileSync(join(repo, 'slipway.yaml'), 'utf8').replace(
      '  dev: {}\n  staging: {}\n  prod:\n    policy:\n      approvals: 1\n',
      `  dev:\n    target: { type: kubernetes, namespace: ${namespaces[0]} }\n  qa:\n    target: { type: kubernetes, namespace: ${namespaces[1]}, cluster: KUBECONFIG_QA, context: qa-admin }\n`,
    );
    writeFileSync(join(repo, 'slipway.yaml'), config);
    await initRepo(repo, {});
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { KUBECONFIG: cluster!.kubeconfig } });
    await addProject(s, repo, 'demo');
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
    for (const ns of namespaces) execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, 'delete', 'namespace', ns, '--wait=false', '--ignore-not-found'], { stdio: 'ignore' });
    dir.remove();
  });

  it('says the cluster secret is missing, then deploys once it is set, in its own namespace and context', async () => {
    onTestFailed(async () => console.log((await s.events()).map((e) => `${e.kind}: ${e.message}`).join('\n'), s.output().slice(-3000)));
    await waitFor('dev healthy', async () => (await envs()).find((e) => e.name === 'dev')?.health === 'healthy', 90_000, 250);
    const missing = await waitFor('an event saying KUBECONFIG_QA is not set', async () => (await s.events()).find((e) => e.message.includes('KUBECONFIG_QA') && e.message.includes('not set')), 30_000, 250);
    expect(missing.message).toContain('qa');
    const set = await cli(['secrets', 'set', 'KUBECONFIG_QA', '--value', kubeconfig, '--server', s.url]);
    expect(set.code).toBe(0);
    const qa = await waitFor('qa healthy', async () => {
      const e = (await envs()).find((x) => x.name === 'qa');
      return e?.health === 'healthy' && e.services.length === 3 ? e : undefined;
    }, 90_000, 250);
    expect(qa.target).toBe('kubernetes');
    for (const ns of namespaces) {
      const names = execFileSync(cluster!.kubectl, ['--kubeconfig', cluster!.kubeconfig, '-n', ns, 'get', 'deployments', '-o', 'name'], { encoding: 'utf8' });
      expect(names.trim().split('\n').sort()).toEqual(['deployment.apps/api', 'deployment.apps/web', 'deployment.apps/worker']);
    }
    // The kubeconfig's credentials are nowhere in what the server says.
    const key = /client-key-data: (\S+)/.exec(kubeconfig)![1]!;
    const said = JSON.stringify([await s.events(), await s.status(), await s.get('/api/secrets')]) + s.output();
    expect(said).not.toContain(key.slice(0, 40));
    expect(said).not.toContain('BEGIN RSA');
  }, 150_000);
});
