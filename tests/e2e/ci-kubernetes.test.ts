import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '@slipway/core';
import { kubernetesUnavailable, testKubeconfig } from '@slipway/testkit';
import { freePort, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, appConfig, commitWorkflow, httpApp, initRepo, killProcessesUnder, noopWorkflow, runFinished } from './project-repo.js';

/**
 * A job with `runs-on: kubernetes` through the real server, with SLIPWAY_KUBECONFIG on the run's dev cluster (kwok
 * nodes): the server picks the Kubernetes executor, the job's pod appears in SLIPWAY_CI_NAMESPACE with the job's image
 * and labels, the step fails with the executor's clear error (kwok runs nothing), and the pod is gone afterwards.
 */
describe.skipIf(kubernetesUnavailable())('CI jobs on Kubernetes through the server', () => {
  const dir = tempDir('ci-kubernetes');
  const repo = join(dir.path, 'repo');
  const namespace = `slipway-ci-e2e-${Math.random().toString(36).slice(2, 8)}`;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let s: ServerProcess;
  let projectId = '';
  const seen: V1Pod[] = [];
  let stopWatch: (() => void) | undefined;

  beforeAll(async () => {
    const kubeconfig = testKubeconfig()!;
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // Every pod the server makes in the namespace, however briefly it lives.
    const request = await new Watch(kc).watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type: string, pod: V1Pod) => type === 'ADDED' && seen.push(pod), () => {});
    stopWatch = () => request.abort();
    await initRepo(repo, { 'slipway.yaml': appConfig('podded'), 'app/server.mjs': httpApp, '.slipway/workflows/ci.yml': noopWorkflow });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env: { SLIPWAY_KUBECONFIG: kubeconfig, SLIPWAY_CI_NAMESPACE: namespace } });
    projectId = (await addProject(s, repo, 'podded')).id;
  });

  afterAll(async () => {
    stopWatch?.();
    await s?.stop();
    killProcessesUnder(dir.path);
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
    dir.remove();
  });

  it('runs the job in a pod of the CI namespace, reports that kwok cannot exec, and deletes the pod', async () => {
    const workflow = ['on: push', 'jobs:', '  build:', '    runs-on: kubernetes', '    container:', '      image: node:20-alpine', '    steps:', '      - run: echo from the pod', ''].join('\n');
    const id = await commitWorkflow(s, projectId, repo, workflow, 'to kubernetes');
    const run = await runFinished(s, id, 60_000);
    expect(run.status).toBe('failed');
    const logs = (await s.get<{ items: LogLine[] }>(`/api/runs/${id}/logs`)).items.map((l) => l.text).join('\n');
    expect(logs).toMatch(new RegExp(`could not run the step in the job pod ${namespace}/slipway-[a-z0-9-]+: the API server refused the exec .*is a kwok fake node, where nothing runs`));
    const pod = seen.find((p) => p.metadata?.annotations?.['slipway.dev/job-id']?.startsWith(`${id}-`));
    expect(pod, `pods seen: ${seen.map((p) => p.metadata?.name).join(', ')}`).toBeDefined();
    expect(pod!.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'slipway' });
    expect(pod!.spec?.containers[0]).toMatchObject({ name: 'job', image: 'node:20-alpine' });
    await waitFor('the job pod to be deleted', async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 ? true : undefined), 20_000, 100);
  });
});
