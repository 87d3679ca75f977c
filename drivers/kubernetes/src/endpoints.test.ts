import { describe, expect, it } from 'vitest';
import { endpointsLag } from './endpoints.js';
import type { KubeObject } from './objects.js';

const service = (spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'dev' }, spec: { selector: { app: 'web' }, ...spec } });
const pod = (name: string, opts: { ready?: boolean; terminating?: boolean; app?: string; ip?: string | null } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'dev', labels: { app: opts.app ?? 'web' }, ...(opts.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: { ...(opts.ip === null ? {} : { podIP: opts.ip ?? '10.88.0.2' }), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const slice = (endpoints: [string, boolean | undefined][], serviceName = 'web'): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${serviceName}-abc`, namespace: 'dev', labels: { 'kubernetes.io/service-name': serviceName } },
  endpoints: endpoints.map(([name, ready]) => ({ targetRef: { kind: 'Pod', name }, conditions: ready === undefined ? {} : { ready } })),
});

describe('endpointsLag', () => {
  it('is null when the ready endpoints are exactly the ready pods the Service selects', () => {
    expect(endpointsLag(service(), [pod('a'), pod('b'), pod('other', { app: 'api' })], [slice([['a', true], ['b', undefined]])])).toBeNull();
  });

  it('waits for a ready pod the slices do not list yet', () => {
    expect(endpointsLag(service(), [pod('a'), pod('b')], [slice([['a', true]])])).toBe('Service/web: 1 ready pod(s) not yet endpoints');
    expect(endpointsLag(service(), [pod('a')], [])).toContain('1 ready pod(s) not yet endpoints');
  });

  it('waits while a terminating or unready pod is still a ready endpoint', () => {
    const lag = endpointsLag(service(), [pod('old', { terminating: true }), pod('new'), pod('crashed', { ready: false })], [slice([['old', true], ['new', true], ['crashed', true]])]);
    expect(lag).toBe('Service/web: still routes to 2 pod(s) no longer serving');
    // The controller marked them: terminating endpoints are not ready.
    expect(endpointsLag(service(), [pod('old', { terminating: true }), pod('new')], [slice([['old', false], ['new', true]])])).toBeNull();
  });

  it('ignores pods without an IP, slices of other Services, and Services without a selector', () => {
    expect(endpointsLag(service(), [pod('a', { ip: null })], [slice([['x', true]], 'api')])).toBeNull();
    expect(endpointsLag(service({ selector: undefined }), [pod('a')], [])).toBeNull();
    expect(endpointsLag(service({ type: 'ExternalName' }), [pod('a')], [])).toBeNull();
  });

  it('counts unready pods as endpoints when the Service publishes them', () => {
    expect(endpointsLag(service({ publishNotReadyAddresses: true }), [pod('a', { ready: false })], [slice([['a', true]])])).toBeNull();
    expect(endpointsLag(service({ publishNotReadyAddresses: true }), [pod('a', { ready: false })], [])).not.toBeNull();
  });
});
