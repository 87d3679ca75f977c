import { describe, expect, it } from 'vitest';
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { assessPod, formatEvents } from './pod-state.js';

const container = (name: string, state: V1ContainerStatus['state'], ready = false): V1ContainerStatus =>
  ({ name, image: `${name}:1`, imageID: '', restartCount: 0, ready, state }) as V1ContainerStatus;
const pod = (status: V1Pod['status'], containers = ['job']): V1Pod => ({ spec: { containers: containers.map((name) => ({ name })) }, status });
const running = { running: { startedAt: new Date() } };

describe('assessPod', () => {
  it.each([
    ['a pod every container of which runs and is ready', pod({ phase: 'Running', containerStatuses: [container('job', running, true)] }), { kind: 'running' }],
    [
      'a pod with a service not ready yet (its probe has not passed)',
      pod({ phase: 'Running', containerStatuses: [container('job', running, true), container('db', running, false)] }, ['job', 'db']),
      { kind: 'waiting', why: 'phase Running; db: not ready' },
    ],
    [
      'an unschedulable pod',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] }),
      { kind: 'waiting', why: 'not scheduled: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.' },
    ],
    ['a pod still pulling', pod({ phase: 'Pending', containerStatuses: [container('job', { waiting: { reason: 'ContainerCreating' } })] }), { kind: 'waiting', why: 'phase Pending; job: ContainerCreating' }],
    [
      'a first failed pull (the kubelet tries again)',
      pod({ phase: 'Pending', containerStatuses: [container('job', { waiting: { reason: 'ErrImagePull', message: 'not found' } })] }),
      { kind: 'waiting', why: 'phase Pending; job: ErrImagePull (not found)' },
    ],
    [
      'an image that cannot be pulled',
      pod({ phase: 'Pending', containerStatuses: [container('job', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } })] }),
      { kind: 'failed', container: 'job', why: 'the container job cannot start: ImagePullBackOff: Back-off pulling image "nope:1"' },
    ],
    [
      'a service that exited',
      pod({ phase: 'Running', containerStatuses: [container('job', running, true), container('db', { terminated: { exitCode: 1, reason: 'Error' } })] }, ['job', 'db']),
      { kind: 'failed', container: 'db', why: 'the container db (db:1) exited with code 1 (Error)' },
    ],
    ['an evicted pod', pod({ phase: 'Failed', reason: 'Evicted', message: 'low on memory' }), { kind: 'failed', why: 'the pod stopped (phase Failed, Evicted: low on memory)' }],
    ['a pod without status', pod(undefined), { kind: 'waiting', why: 'phase unknown' }],
  ])('%s', (_name, input, expected) => {
    expect(assessPod(input)).toEqual(expected);
  });
});

describe('formatEvents', () => {
  it('lists the last events oldest first, with their counts', () => {
    const events: CoreV1Event[] = [
      { involvedObject: {}, metadata: {}, type: 'Warning', reason: 'Failed', message: 'Failed to pull image "nope:1"', count: 3, lastTimestamp: new Date('2026-01-01T00:00:02Z') },
      { involvedObject: {}, metadata: {}, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned ci/p to node-1', lastTimestamp: new Date('2026-01-01T00:00:01Z') },
    ];
    expect(formatEvents(events)).toBe('  Normal Scheduled: Successfully assigned ci/p to node-1\n  Warning Failed: Failed to pull image "nope:1" (x3)');
  });
});
