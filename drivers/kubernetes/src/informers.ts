import type { Discovery } from './discovery.js';
import { KubeApiError, type KubeClient } from './kube-client.js';
import { labels, managedBy, objectKey, type KubeObject } from './objects.js';

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };

interface Informer {
  ready: Promise<void>;
  objects: Map<string, KubeObject>;
  stop: AbortController;
}

const selector = encodeURIComponent(`${labels.managedBy}=${managedBy}`);

/**
 * Live copies of what Slipway manages, kept by list + watch (no polling): one informer per kind and namespace,
 * selecting the managed-by label. A watch that ends is resumed from its last resourceVersion; one that is too old (410)
 * lists again. Events reach `onEvent` after the cache has them.
 */
export function createInformers(client: KubeClient, discovery: Discovery, onEvent: (event: WatchEvent) => void) {
  const informers = new Map<string, Informer>();

  const start = (apiVersion: string, kind: string, namespace: string | undefined): Informer => {
    const objects = new Map<string, KubeObject>();
    const stop = new AbortController();
    let signalReady: () => void = () => {};
    let failReady: (err: unknown) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      signalReady = resolve;
      failReady = reject;
    });
    const run = async () => {
      const collection = await discovery.path(apiVersion, kind, namespace);
      let first = true;
      while (!stop.signal.aborted) {
        try {
          const { body } = await client.request<{ metadata: { resourceVersion: string }; items: KubeObject[] }>('GET', `${collection}?labelSelector=${selector}`, { signal: stop.signal });
          const seen = new Set<string>();
          for (const item of body.items) {
            const o = { ...item, apiVersion, kind };
            seen.add(objectKey(o));
            objects.set(objectKey(o), o);
          }
          for (const [key, o] of objects) if (!seen.has(key)) {
            objects.delete(key);
            if (!first) onEvent({ type: 'DELETED', object: o });
          }
          if (first) {
            first = false;
            signalReady();
          }
          let resourceVersion = body.metadata.resourceVersion;
          // Watch until the server ends it (timeoutSeconds), then resume where it stopped.
          for (;;) {
            if (stop.signal.aborted) return;
            let expired = false;
            await client.watch(`${collection}?watch=1&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${resourceVersion}&labelSelector=${selector}`, (event) => {
              const e = event as { type: string; object: KubeObject & { code?: number } };
              if (e.type === 'ERROR') {
                expired = e.object.code === 410;
                return;
              }
              resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion;
              if (e.type === 'BOOKMARK') return;
              const o = { ...e.object, apiVersion, kind };
              if (e.type === 'DELETED') objects.delete(objectKey(o));
              else objects.set(objectKey(o), o);
              onEvent({ type: e.type as WatchEvent['type'], object: o });
            }, stop.signal);
            if (expired) break;
          }
        } catch (err) {
          if (stop.signal.aborted) return;
          if (first) {
            failReady(err);
            informers.delete(key(apiVersion, kind, namespace));
            return;
          }
          if (!(err instanceof KubeApiError && err.status === 410)) await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    void run();
    return { ready, objects, stop };
  };

  const key = (apiVersion: string, kind: string, namespace: string | undefined) => `${apiVersion}/${kind}/${namespace ?? ''}`;

  return {
    /** The informer of a kind in a namespace (cluster-scoped kinds: no namespace), started on first use; resolves once listed. */
    async ensure(apiVersion: string, kind: string, namespace: string | undefined): Promise<Map<string, KubeObject>> {
      const namespaced = (await discovery.resource(apiVersion, kind)).namespaced;
      const k = key(apiVersion, kind, namespaced ? namespace : undefined);
      let informer = informers.get(k);
      if (!informer) {
        informer = start(apiVersion, kind, namespaced ? namespace : undefined);
        informers.set(k, informer);
      }
      await informer.ready;
      return informer.objects;
    },
    /** Drops a deleted object at once; its watch event follows. */
    forget(o: KubeObject) {
      for (const i of informers.values()) i.objects.delete(objectKey(o));
    },
    close() {
      for (const i of informers.values()) i.stop.abort();
      informers.clear();
    },
  };
}
export type Informers = ReturnType<typeof createInformers>;
