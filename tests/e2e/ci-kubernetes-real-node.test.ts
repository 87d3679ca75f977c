import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, RunDetail } from '@slipway/core';
import { realNodeUnavailable, testRealNode } from '@slipway/testkit';
import { freePort, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, appConfig, commitWorkflow, httpApp, initRepo, killProcessesUnder, noopWorkflow, runFinished } from './project-repo.js';

/**
 * A job with `runs-on: kubernetes` through the real server on the real node of the run's dev cluster: the server's
 * executor pins job pods there (SLIPWAY_CI_NODE_SELECTOR, SLIPWAY_CI_TOLERATIONS) and runs the default image
 * slipway/runner:latest loaded into the node (SLIPWAY_CI_IMAGE_PULL_POLICY=IfNotPresent), so the steps really run in the
 * pod's container: their output streams into the run while they run, environment files pass between steps through the
 * hostPath temp directory, a failing step fails the run with its exit code, and the pod is deleted afterwards.
 */
describe.skipIf(realNodeUnavailable())('CI jobs on the real Kubernetes node through the server', () => {
  const dir = tempDir('ci-kubernetes-real-node');
  const repo = join(dir.path, 'repo');
  const namespace = `slipway-ci-real-${Math.random().toString(36).slice(2, 8)}`;
  let core: CoreV1Api;
  let s: ServerProcess;
  let projectId = '';
  const seen: V1Pod[] = [];
  let stopWatch: (() => void) | undefined;

  const logsOf = async (id: string) => (await s.get<{ items: LogLine[] }>(`/api/runs/${id}/logs`)).items.map((l) => l.text).join('\n');

  beforeAll(async () => {
    const node = testRealNode()!;
    const kc = new KubeConfig();
    kc.loadFromFile(node.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const request = await new Watch(kc).watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type: string, pod: V1Pod) => type === 'MODIFIED' && seen.push(pod), () => {});
    stopWatch = () => request.abort();
    await initRepo(repo, { 'slipway.yaml': appConfig('real-podded'), 'app/server.mjs': httpApp, '.slipway/workflows/ci.yml': noopWorkflow });
    const env = {
      SLIPWAY_KUBECONFIG: node.kubeconfig,
      SLIPWAY_CI_NAMESPACE: namespace,
      SLIPWAY_CI_NODE_SELECTOR: `kubernetes.io/hostname=${node.nodeName}`,
      SLIPWAY_CI_TOLERATIONS: node.placement.tolerations.map((t) => `${t.key}=${t.value}:${t.effect}`).join(','),
      SLIPWAY_CI_IMAGE_PULL_POLICY: 'IfNotPresent',
    };
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort(), env });
    projectId = (await addProject(s, repo, 'real-podded')).id;
  });

  afterAll(async () => {
    stopWatch?.();
    await s?.stop();
    killProcessesUnder(dir.path);
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
    dir.remove();
  });

  it('runs the steps in the job pod on the real node, streaming their output into the run', { timeout: 90_000 }, async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: kubernetes',
      '    steps:',
      '      - run: |',
      '          echo "pod $(hostname) node $(node --version)"',
      '          echo "GREETING=from the pod" >> "$GITHUB_ENV"',
      '          echo first line',
      '          sleep 4',
      '          echo second line',
      '      - run: echo "greeting $GREETING in $(pwd)"',
      '',
    ].join('\n');
    const id = await commitWorkflow(s, projectId, repo, workflow, 'to the real node');
    // Streamed: the first line is in the run's log while its step still sleeps.
    const midway = await waitFor('the first line while the step runs', async () => {
      const logs = await logsOf(id);
      return logs.includes('first line') ? { logs, run: await s.get<RunDetail>(`/api/runs/${id}`) } : undefined;
    }, 60_000, 100);
    expect(midway.logs).not.toContain('second line');
    expect(midway.run.status).toBe('running');

    const run = await runFinished(s, id, 60_000);
    const logs = await logsOf(id);
    expect(run.status, logs).toBe('succeeded');
    const pod = seen.find((p) => p.metadata?.annotations?.['slipway.dev/job-id']?.startsWith(`${id}-`) && p.status?.phase === 'Running');
    expect(pod, `pods seen: ${seen.map((p) => p.metadata?.name).join(', ')}`).toBeDefined();
    expect(pod!.spec).toMatchObject({ nodeName: 'slipway-node', containers: [{ name: 'job', image: 'slipway/runner:latest', imagePullPolicy: 'IfNotPresent' }] });
    // The step ran in the pod (its hostname is the pod's name) with the image's node, and the second step got the first's
    // GITHUB_ENV in the checked-out workspace (a hostPath volume at the same path as on the server's machine).
    expect(logs).toContain(`pod ${pod!.metadata!.name} node v20.`);
    expect(logs).toMatch(/greeting from the pod in \/.*\/workspace/);
    expect(logs.indexOf('first line')).toBeLessThan(logs.indexOf('second line'));
    await waitFor('the job pod to be deleted', async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 ? true : undefined), 30_000, 200);
  });

  it('fails the run with the exit code of a failing step in the pod', { timeout: 60_000 }, async () => {
    const workflow = ['on: push', 'jobs:', '  build:', '    runs-on: kubernetes', '    steps:', '      - run: echo about to fail; exit 7', '      - run: echo never', ''].join('\n');
    const id = await commitWorkflow(s, projectId, repo, workflow, 'fails in the pod');
    const run = await runFinished(s, id, 60_000);
    const logs = await logsOf(id);
    expect(run.status, logs).toBe('failed');
    expect(logs).toContain('about to fail');
    expect(logs).not.toContain('never');
    const steps = run.jobs[0]!.steps;
    expect(steps.find((step) => step.status === 'failed')?.exitCode).toBe(7);
    expect(steps.at(-1)?.status).toBe('skipped');
  });
});
