import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError, type JobEnvironmentSpec } from '@slipway/core';
import { kubernetesUnavailable, testKubeconfig } from '@slipway/testkit';
import { createKubernetesExecutor } from './kubernetes-executor.js';

/**
 * The executor against a real kube-apiserver: the run's shared dev cluster (etcd, kube-apiserver, scheduler,
 * controller-manager, kwok nodes), or SLIPWAY_TEST_KUBECONFIG. kwok reports pods Running without running anything, so
 * this checks what the executor asks of the API — the pod it creates, waiting, deleting, orphans — and that a step
 * fails clearly there. Steps that really run are for a real node (conformance.test.ts).
 */
describe.skipIf(kubernetesUnavailable())('Kubernetes executor on a kube-apiserver', () => {
  const runId = Math.random().toString(36).slice(2, 8);
  // A namespace of its own: the cluster is shared with the other test files of the run.
  const namespace = `slipway-ci-${runId}`;
  let core: CoreV1Api;
  let kubeconfig = '';
  let root = '';
  let jobs = 0;
  const jobSpec = (extra: Partial<JobEnvironmentSpec> = {}): JobEnvironmentSpec => {
    const n = ++jobs;
    return { id: `e2e-${runId}-${n}`, workspace: join(root, `w${n}`, 'workspace'), temp: join(root, `w${n}`, 'temp'), ...extra };
  };
  const signal = () => new AbortController().signal;
  const readPod = async (name: string): Promise<V1Pod | undefined> => {
    try {
      return await core.readNamespacedPod({ name, namespace });
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  };

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-k8s-executor-')));
    kubeconfig = testKubeconfig()!;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  }, 180_000);
  afterAll(async () => {
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates one pod per job with the image, labels, resources, volumes and command, and waits until it runs', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace, resources: { requests: { cpu: '100m', memory: '128Mi' } } });
    const spec = jobSpec({
      container: { image: 'node:20-alpine', env: { CI: 'true' }, options: '--cpus 1 --memory 256m' },
      services: { postgres: { image: 'postgres:16', env: { POSTGRES_PASSWORD: 'pw' }, ports: ['5432:5432'] } },
    });
    const job = await executor.prepareJob(spec, signal());
    try {
      const name = `slipway-${spec.id}`;
      expect(job.container).toEqual({ id: `${namespace}/${name}`, network: null });
      expect(job.services).toEqual({ postgres: { id: 'postgres', network: null, ports: { '5432': '5432' } } });
      const pod = (await readPod(name))!;
      expect(pod.status?.phase).toBe('Running');
      expect(pod.metadata?.namespace).toBe(namespace);
      expect(pod.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/job': spec.id });
      expect(pod.metadata?.annotations).toMatchObject({ 'slipway.dev/job-id': spec.id, 'slipway.dev/owner': `${hostname()}/${process.pid}` });
      expect(pod.spec).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, hostAliases: [{ ip: '127.0.0.1', hostnames: ['postgres'] }] });
      const [main, postgres] = pod.spec!.containers;
      expect(main).toMatchObject({ name: 'job', image: 'node:20-alpine', command: ['sh', '-c', 'trap : TERM INT; sleep infinity & wait'], workingDir: spec.workspace });
      // The API server normalises quantities: 256Mi stays, cpu 1 stays.
      expect(main!.resources).toEqual({ requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } });
      expect(main!.volumeMounts?.map((m) => m.mountPath)).toEqual([spec.workspace, spec.temp]);
      expect(pod.spec!.volumes?.map((v) => v.hostPath?.path)).toEqual([spec.workspace, spec.temp]);
      expect(postgres).toMatchObject({ name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432, protocol: 'TCP' }] });
    } finally {
      await job.dispose();
    }
  });

  it('fails a step clearly, not with a hang, where the API server cannot exec (a kwok node has no kubelet)', async ({ skip }) => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace });
    const spec = jobSpec();
    const job = await executor.prepareJob(spec, signal());
    try {
      const nodeName = (await readPod(`slipway-${spec.id}`))?.spec?.nodeName ?? '';
      const node = await core.readNode({ name: nodeName });
      if (node.metadata?.annotations?.['kwok.x-k8s.io/node'] === undefined) skip('the pod runs on a real node: conformance.test.ts runs steps there');
      const started = Date.now();
      const run = job.runStep({ command: 'echo hi', shell: 'sh', cwd: '/', env: {}, timeoutMs: 60_000 }, () => {}, signal());
      await expect(run).rejects.toThrow(SlipwayError);
      // The API server answers the upgrade with 500: the kwok node has no address for it to reach a kubelet at.
      await expect(run).rejects.toThrow(new RegExp(`could not run the step in the job pod ${namespace}/slipway-${spec.id}: the API server refused the exec \\(HTTP 500\\): .*; its node ${nodeName} is a kwok fake node, where nothing runs$`));
      expect(Date.now() - started).toBeLessThan(45_000);
    } finally {
      await job.dispose();
    }
  }, 60_000);

  it('deletes the pod on dispose and waits until it is gone; twice, or at once, is safe', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace });
    const spec = jobSpec();
    const job = await executor.prepareJob(spec, signal());
    expect(await readPod(`slipway-${spec.id}`)).toBeDefined();
    await Promise.all([job.dispose(), job.dispose()]);
    expect(await readPod(`slipway-${spec.id}`)).toBeUndefined();
    await job.dispose();
  });

  it('fails an unschedulable job after its start timeout with the scheduler\'s reason and events, and leaves no pod', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace, nodeSelector: { 'slipway.dev/no-such-node': 'true' }, startTimeoutMs: 3_000 });
    const spec = jobSpec();
    const error = await executor.prepareJob(spec, signal()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).code).toBe('SLW_RUN_FAILED');
    expect((error as Error).message).toMatch(/did not start within 3s: not scheduled: Unschedulable: 0\/\d+ nodes are available/);
    expect((error as Error).message).toMatch(/events:\n {2}Warning FailedScheduling/);
    expect(await readPod(`slipway-${spec.id}`)).toBeUndefined();
  }, 30_000);

  it('stops waiting when the job is cancelled, and leaves no pod', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace, nodeSelector: { 'slipway.dev/no-such-node': 'true' } });
    const spec = jobSpec();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 500);
    const started = Date.now();
    await expect(executor.prepareJob(spec, controller.signal)).rejects.toThrow('run cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readPod(`slipway-${spec.id}`)).toBeUndefined();
  });

  it('refuses a workflow the pod cannot honour before calling the API', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace });
    await expect(executor.prepareJob(jobSpec({ container: { image: 'x', options: '--privileged' } }), signal())).rejects.toThrow(/container\.options: the Kubernetes executor does not support the option "--privileged"/);
  });

  it('names the namespace when it does not exist', async () => {
    const executor = createKubernetesExecutor({ kubeconfig, namespace: 'no-such-namespace' });
    const error = (await executor.prepareJob(jobSpec(), signal()).catch((err: unknown) => err)) as SlipwayError;
    expect(error.code).toBe('SLW_KUBERNETES_FAILED');
    expect(error.message).toMatch(/could not create the pod slipway-e2e-\w+-\d+ in namespace no-such-namespace on https:\/\/127\.0\.0\.1:\d+: namespaces "no-such-namespace" not found \(HTTP 404\)/);
    expect(error.hint).toMatch(/kubectl create namespace/);
  });

  it('cleanupOrphans deletes the job pods of dead processes on this host, and only those', async () => {
    const pod = (name: string, owner: string | undefined, managed = true): V1Pod => ({
      metadata: {
        name,
        labels: managed ? { 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/job': name } : { app: 'other' },
        ...(owner ? { annotations: { 'slipway.dev/owner': owner } } : {}),
      },
      spec: { containers: [{ name: 'job', image: 'busybox' }] },
    });
    const deadPid = 2 ** 22 + 12345;
    await Promise.all([
      core.createNamespacedPod({ namespace, body: pod(`orphan-${runId}`, `${hostname()}/${deadPid}`) }),
      core.createNamespacedPod({ namespace, body: pod(`ownerless-${runId}`, undefined) }),
      core.createNamespacedPod({ namespace, body: pod(`live-${runId}`, `${hostname()}/${process.pid}`) }),
      core.createNamespacedPod({ namespace, body: pod(`elsewhere-${runId}`, `another-host/${deadPid}`) }),
      core.createNamespacedPod({ namespace, body: pod(`unmanaged-${runId}`, undefined, false) }),
    ]);
    const executor = createKubernetesExecutor({ kubeconfig, namespace });
    expect(await executor.cleanupOrphans()).toBe(2);
    expect(await readPod(`orphan-${runId}`)).toBeUndefined();
    expect(await readPod(`ownerless-${runId}`)).toBeUndefined();
    for (const kept of ['live', 'elsewhere', 'unmanaged']) expect(await readPod(`${kept}-${runId}`), kept).toBeDefined();
    expect(await executor.cleanupOrphans()).toBe(0);
  });
});
