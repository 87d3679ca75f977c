import { describe, expect, it } from 'vitest';
import { objectHealth } from './health.js';
import type { KubeObject } from './objects.js';

const obj = (kind: string, spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2): KubeObject => ({ apiVersion: 'x/v1', kind, metadata: { name: 'a', generation }, spec, status });

describe('objectHealth', () => {
  it.each<[string, KubeObject | undefined, string]>([
    ['nothing', undefined, 'missing'],
    ['a Deployment rolled out', obj('Deployment', { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 'healthy'],
    ['a Deployment its controller has not seen', obj('Deployment', { replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 'progressing'],
    ['a Deployment half updated', obj('Deployment', { replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }), 'progressing'],
    ['a Deployment with old replicas left', obj('Deployment', { replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), 'progressing'],
    ['a Deployment past its deadline', obj('Deployment', { replicas: 2 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }), 'degraded'],
    ['a paused Deployment', obj('Deployment', { paused: true }, {}), 'suspended'],
    ['a StatefulSet ready', obj('StatefulSet', { replicas: 1 }, { observedGeneration: 2, readyReplicas: 1, currentRevision: 'r1', updateRevision: 'r1' }), 'healthy'],
    ['a StatefulSet updating', obj('StatefulSet', { replicas: 1 }, { observedGeneration: 2, readyReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' }), 'progressing'],
    ['a DaemonSet available', obj('DaemonSet', {}, { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), 'healthy'],
    ['a DaemonSet short', obj('DaemonSet', {}, { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 1 }), 'progressing'],
    ['a Job complete', obj('Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }), 'healthy'],
    ['a Job failed', obj('Job', {}, { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }), 'degraded'],
    ['a Job running', obj('Job', {}, { active: 1 }), 'progressing'],
    ['a suspended Job', obj('Job', { suspend: true }, {}), 'suspended'],
    ['a ClusterIP Service', obj('Service', { type: 'ClusterIP' }, {}), 'healthy'],
    ['a LoadBalancer without address', obj('Service', { type: 'LoadBalancer' }, { loadBalancer: {} }), 'progressing'],
    ['a LoadBalancer with address', obj('Service', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } }), 'healthy'],
    ['a bound PVC', obj('PersistentVolumeClaim', {}, { phase: 'Bound' }), 'healthy'],
    ['a pending PVC', obj('PersistentVolumeClaim', {}, { phase: 'Pending' }), 'progressing'],
    ['a lost PVC', obj('PersistentVolumeClaim', {}, { phase: 'Lost' }), 'degraded'],
    ['a pod crash-looping', obj('Pod', {}, { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), 'degraded'],
    ['a pod whose container exited with an error', obj('Pod', {}, { phase: 'Running', containerStatuses: [{ restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }), 'degraded'],
    ['a pod whose container just exited', obj('Pod', {}, { phase: 'Running', containerStatuses: [{ restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }), 'degraded'],
    ['a ready pod', obj('Pod', {}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }), 'healthy'],
    ['a custom resource Ready', obj('Certificate', {}, { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] }), 'healthy'],
    ['a custom resource not Ready', obj('Certificate', {}, { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'False', message: 'issuer not found' }] }), 'degraded'],
    ['a custom resource reconciling', obj('Kustomization', {}, { observedGeneration: 2, conditions: [{ type: 'Reconciling', status: 'True' }, { type: 'Ready', status: 'Unknown' }] }), 'progressing'],
    ['a custom resource stalled', obj('HelmRelease', {}, { observedGeneration: 2, conditions: [{ type: 'Stalled', status: 'True', message: 'install retries exhausted' }] }), 'degraded'],
    ['a custom resource its controller has not seen', obj('Certificate', {}, { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] }), 'progressing'],
    ['a custom resource without status', obj('Widget', {}, {}), 'healthy'],
    ['a ConfigMap', obj('ConfigMap', {}, {}), 'healthy'],
  ])('%s → %s', (_what, o, health) => {
    expect(objectHealth(o).health).toBe(health);
  });

  it('says why a Deployment is not there yet and why a custom resource failed', () => {
    expect(objectHealth(obj('Deployment', { replicas: 3 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 })).message).toBe('1 of 3 updated replicas available');
    expect(objectHealth(obj('Certificate', {}, { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'False', message: 'issuer not found' }] })).message).toBe('Ready is False: issuer not found');
  });
});
