import type { KubeObject } from './objects.js';

interface Endpoint {
  conditions?: { ready?: boolean | null };
  targetRef?: { kind?: string; name?: string };
}

const podReady = (p: KubeObject) => ((p.status?.conditions as { type: string; status: string }[] | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * Whether a Service's EndpointSlices have caught up with its pods: every ready, running pod it selects is a ready
 * endpoint, and no other pod is (a replaced revision's terminating pods, a crashed one). A Deployment is Available
 * before that: until the EndpointSlice controller writes the new pods (and kube-proxy programs them), the Service still
 * sends traffic to the old revision, or nowhere. Returns what is still off, or null. A Service without a selector (its
 * endpoints are someone else's) or of type ExternalName has nothing to wait for.
 */
export function endpointsLag(service: KubeObject, pods: Iterable<KubeObject>, slices: Iterable<KubeObject>): string | null {
  const selector = service.spec?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') return null;
  const everyPod = service.spec?.publishNotReadyAddresses === true;
  const want = new Set<string>();
  for (const p of pods) {
    if (p.metadata.namespace !== service.metadata.namespace || p.metadata.deletionTimestamp || !p.status?.podIP) continue;
    if (!Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v)) continue;
    if (everyPod || podReady(p)) want.add(p.metadata.name);
  }
  const listed = new Set<string>();
  for (const s of slices) {
    if (s.metadata.namespace !== service.metadata.namespace || s.metadata.labels?.['kubernetes.io/service-name'] !== service.metadata.name) continue;
    // A missing ready condition means ready (discovery.k8s.io/v1).
    for (const e of (s.endpoints as Endpoint[] | undefined) ?? []) if (e.conditions?.ready !== false && e.targetRef?.kind === 'Pod' && e.targetRef.name) listed.add(e.targetRef.name);
  }
  const notListed = [...want].filter((n) => !listed.has(n));
  const stale = [...listed].filter((n) => !want.has(n));
  if (notListed.length === 0 && stale.length === 0) return null;
  const parts = [...(notListed.length ? [`${notListed.length} ready pod(s) not yet endpoints`] : []), ...(stale.length ? [`still routes to ${stale.length} pod(s) no longer serving`] : [])];
  return `Service/${service.metadata.name}: ${parts.join(', ')}`;
}
