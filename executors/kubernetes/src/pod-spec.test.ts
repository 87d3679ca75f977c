import { describe, expect, it } from 'vitest';
import type { JobEnvironmentSpec } from '@slipway/core';
import { ownerAnnotation } from './names.js';
import { keepAlive, renderJobPod, resourceBlock, type PodSettings } from './pod-spec.js';

const settings: PodSettings = { namespace: 'slipway-ci', defaultImage: 'slipway/runner:latest' };
const base: JobEnvironmentSpec = { id: 'run7-1-test', workspace: '/data/workspaces/run7-1/test/workspace', temp: '/data/workspaces/run7-1/test/temp' };

describe('renderJobPod', () => {
  it('renders a job with a container and services as one pod (testdata/job-pod.json)', async () => {
    const { pod, services } = renderJobPod(
      {
        ...base,
        container: { image: 'node:20', env: { CI: 'true' }, options: '--cpus 2 --memory 1g -e FROM_OPTIONS=1', volumes: ['/cache', '/srv/shared:/shared:ro'] },
        services: {
          postgres: {
            image: 'postgres:16',
            env: { POSTGRES_PASSWORD: 'postgres' },
            ports: ['5432:5432'],
            options: '--health-cmd "pg_isready -U postgres" --health-interval 2s --health-retries 10',
          },
          redis: { image: 'redis:7', ports: ['6379/tcp'], entrypoint: 'redis-server', command: '--save "" --appendonly no' },
        },
      },
      { ...settings, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '2Gi' } }, tolerations: [{ key: 'ci', operator: 'Exists' }] },
    );
    expect(services).toEqual({
      postgres: { id: 'postgres', network: null, ports: { '5432': '5432' } },
      redis: { id: 'redis', network: null, ports: { '6379': '6379' } },
    });
    pod.metadata!.annotations![ownerAnnotation] = 'host/1';
    await expect(`${JSON.stringify(pod, null, 2)}\n`).toMatchFileSnapshot('testdata/job-pod.json');
  });

  it('runs a job without container: in the default image, with the workspace and temp at their host paths', () => {
    const { pod, services } = renderJobPod(base, settings);
    const [job, ...others] = pod.spec!.containers;
    expect(others).toEqual([]);
    expect(services).toEqual({});
    expect(job).toMatchObject({ name: 'job', image: 'slipway/runner:latest', command: keepAlive, workingDir: base.workspace });
    expect(job!.resources).toBeUndefined();
    expect(job!.volumeMounts!.map((m) => m.mountPath)).toEqual([base.workspace, base.temp]);
    expect(pod.spec!.volumes!.map((v) => v.hostPath)).toEqual([
      { path: base.workspace, type: 'DirectoryOrCreate' },
      { path: base.temp, type: 'DirectoryOrCreate' },
    ]);
    expect(pod.spec).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, enableServiceLinks: false });
    expect(pod.spec!.hostAliases).toBeUndefined();
    expect(pod.metadata).toMatchObject({ name: 'slipway-run7-1-test', namespace: 'slipway-ci', labels: { 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/job': 'run7-1-test' } });
    expect(pod.metadata!.annotations).toMatchObject({ 'slipway.dev/job-id': 'run7-1-test' });
  });

  it('gives every container the pull policy of the settings, and none without one (the cluster default)', () => {
    const spec = { ...base, services: { db: { image: 'postgres:16' } } };
    const policies = (s: PodSettings) => renderJobPod(spec, s).pod.spec!.containers.map((c) => c.imagePullPolicy);
    expect(policies({ ...settings, imagePullPolicy: 'IfNotPresent' })).toEqual(['IfNotPresent', 'IfNotPresent']);
    expect(policies(settings)).toEqual([undefined, undefined]);
  });

  it.each([
    [{ container: { image: 'x', options: '--privileged' } }, /^container\.options: .*--privileged/],
    [{ services: { db: { image: 'x', options: '--network host' } } }, /^services\.db\.options: .*--network/],
    [{ services: { db: { image: 'x', ports: ['http'] } } }, /^services\.db\.ports: "http" is not a port/],
    [{ services: { db: { image: 'x', volumes: ['pgdata:/var/lib/postgresql/data'] } } }, /^services\.db\.volumes: the named volume "pgdata"/],
    [{ container: { image: 'x', volumes: ['relative'] } }, /^container\.volumes: "relative" is not a volume/],
    [{ services: { db: { image: 'x', command: 'echo "unterminated' } } }, /^services\.db\.command: unterminated/],
  ] as const)('refuses what a pod cannot do: %j', (extra, message) => {
    expect(() => renderJobPod({ ...base, ...(extra as Partial<JobEnvironmentSpec>) }, settings)).toThrow(message);
  });
});

describe('resourceBlock', () => {
  it.each([
    [{}, undefined, {}],
    [{}, { requests: { cpu: '100m' } }, { resources: { requests: { cpu: '100m' } } }],
    [{ cpu: '2' }, { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '2Gi' } }, { resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } }],
    [{ memory: '512Mi' }, { requests: { memory: '1Gi' } }, { resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } }],
  ])('options %j over defaults %j give %j', (options, defaults, expected) => {
    expect(resourceBlock(options, defaults)).toEqual(expected);
  });
});
