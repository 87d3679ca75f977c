import { SlipwayError } from '@slipway/core';
import type { KubeClient } from './kube-client.js';

export interface ApiResource {
  /** `/api/v1` or `/apis/apps/v1`. */
  base: string;
  plural: string;
  namespaced: boolean;
}

/** Maps apiVersion + kind to the resource's URL, from the API server's discovery; a miss refreshes once (a new CRD). */
export function createDiscovery(client: KubeClient) {
  const groups = new Map<string, Promise<Map<string, ApiResource>>>();
  const load = (apiVersion: string) => {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const loaded = client.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>('GET', base, { accept404: true }).then(({ status, body }) => {
      const kinds = new Map<string, ApiResource>();
      if (status === 404) return kinds;
      for (const r of body.resources) if (!r.name.includes('/')) kinds.set(r.kind, { base, plural: r.name, namespaced: r.namespaced });
      return kinds;
    });
    groups.set(apiVersion, loaded);
    loaded.catch(() => groups.delete(apiVersion));
    return loaded;
  };
  const resource = async (apiVersion: string, kind: string): Promise<ApiResource> => {
    let found = (await (groups.get(apiVersion) ?? load(apiVersion))).get(kind);
    if (!found) found = (await load(apiVersion)).get(kind);
    if (!found) throw new SlipwayError('SLW_KUBERNETES_FAILED', `the cluster does not serve ${kind} in ${apiVersion}`, { hint: 'Install the CRD (or the API) first, or fix apiVersion and kind in the manifest.' });
    return found;
  };
  return {
    resource,
    /** The URL of a collection (`name` absent) or of one object. */
    async path(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
      const r = await resource(apiVersion, kind);
      const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
      return `${r.base}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
    },
  };
}
export type Discovery = ReturnType<typeof createDiscovery>;
