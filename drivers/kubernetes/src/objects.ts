/** A Kubernetes object as JSON: what is applied and what the API server returns. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Labels and annotations Slipway puts on what it applies. */
export const labels = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  environment: 'slipway.dev/environment',
  service: 'slipway.dev/service',
  track: 'slipway.dev/track',
} as const;
export const annotations = {
  revision: 'slipway.dev/revision',
  release: 'slipway.dev/release',
  inventory: 'slipway.dev/inventory',
} as const;
export const managedBy = 'slipway';
/** The field manager of every apply: stable, so that ownership is kept from one apply to the next. */
export const fieldManager = 'slipway';

/** `group/version/Kind/namespace/name`: one object, wherever it is. */
export function objectKey(o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function parseObjectKey(key: string): { apiVersion: string; kind: string; namespace: string | undefined; name: string } {
  const parts = key.split('/');
  const name = parts.pop()!;
  const namespace = parts.pop() || undefined;
  const kind = parts.pop()!;
  return { apiVersion: parts.join('/'), kind, namespace, name };
}

/** `Deployment/api`: how people name an object. */
export function objectRef(o: { kind: string; metadata: { name: string } } | { kind: string; name: string }): string {
  return `${o.kind}/${'metadata' in o ? o.metadata.name : o.name}`;
}
