import { createDiscovery, type Discovery } from './discovery.js';
import { createInformers, type Informers, type WatchEvent } from './informers.js';
import { connect, type KubeClient, type KubeconfigSource } from './kube-client.js';
import { fieldManager, objectKey, type KubeObject } from './objects.js';
import { differences, project } from './projection.js';

/** What Slipway last applied to an object: the manifest, the server's answer to it, and its projection (the expectation). */
export interface Applied {
  manifest: KubeObject;
  answer: KubeObject;
  expected: unknown;
}

/** One cluster as one user: client, discovery, informers, and the expectation of every object applied. */
export interface Cluster {
  client: KubeClient;
  discovery: Discovery;
  informers: Informers;
  applied: Map<string, Applied>;
  /** Server-side apply with Slipway's field manager (force: Slipway owns what it applies); `dryRun` changes nothing. */
  apply(manifest: KubeObject, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** The newer of the informer's copy and the last apply's answer (a watch may lag behind an apply). */
  live(manifest: KubeObject): Promise<KubeObject | undefined>;
  /** What differs from what Slipway applied, in the fields it applied; empty: in sync. */
  drift(manifest: KubeObject): Promise<string[]>;
  remove(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<void>;
  close(): void;
}

export async function openCluster(source: KubeconfigSource, onEvent: (event: WatchEvent, cluster: Cluster) => void): Promise<Cluster> {
  const client = await connect(source);
  const discovery = createDiscovery(client);
  const applied = new Map<string, Applied>();
  // eslint-disable-next-line prefer-const
  let cluster: Cluster;
  // The resourceVersion of each object's deletion, so that an apply's older answer does not bring it back.
  const lastDeleted = new Map<string, string>();
  const informers = createInformers(client, discovery, (event) => {
    if (event.type === 'DELETED' && event.object.metadata.resourceVersion) lastDeleted.set(objectKey(event.object), event.object.metadata.resourceVersion);
    onEvent(event, cluster);
  });

  const apply = async (manifest: KubeObject, options: { dryRun?: boolean } = {}) => {
    const path = await discovery.path(manifest.apiVersion, manifest.kind, manifest.metadata.namespace, manifest.metadata.name);
    const { body } = await client.request<KubeObject>('PATCH', `${path}?fieldManager=${fieldManager}&force=true${options.dryRun ? '&dryRun=All' : ''}`, { body: manifest, contentType: 'application/apply-patch+yaml' });
    const answer = { ...body, apiVersion: manifest.apiVersion, kind: manifest.kind };
    applied.set(objectKey(manifest), { manifest, answer, expected: project(manifest, answer) });
    return answer;
  };

  const live = async (manifest: KubeObject) => {
    const cached = (await informers.ensure(manifest.apiVersion, manifest.kind, manifest.metadata.namespace)).get(objectKey(manifest));
    const answer = applied.get(objectKey(manifest))?.answer;
    if (!answer) return cached;
    if (!cached) return newer(answer.metadata.resourceVersion, lastDeleted.get(objectKey(manifest))) ? answer : undefined;
    return newer(answer.metadata.resourceVersion, cached.metadata.resourceVersion) ? answer : cached;
  };
  cluster = {
    client,
    discovery,
    informers,
    applied,
    apply,
    live,
    async drift(manifest) {
      const key = objectKey(manifest);
      let known = applied.get(key);
      // A new process knows no expectation yet: a dry-run apply says what the object would be, without writing.
      if (!known || JSON.stringify(known.manifest) !== JSON.stringify(manifest)) {
        await apply(manifest, { dryRun: true });
        known = applied.get(key)!;
        // A dry run's answer is not the live object: keep the informer's copy as the newer one.
        known.answer = { ...known.answer, metadata: { ...known.answer.metadata, resourceVersion: '0' } };
      }
      const current = await live(manifest);
      if (!current) return [`${manifest.kind}/${manifest.metadata.name} is gone`];
      return differences(known.expected, project(manifest, current));
    },
    async remove(o) {
      const path = await discovery.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
      await client.request('DELETE', path, { body: { propagationPolicy: 'Background' }, accept404: true });
      applied.delete(objectKey(o as KubeObject));
      informers.forget(o as KubeObject);
    },
    close() {
      informers.close();
      client.close();
    },
  };
  return cluster;
}

/** resourceVersions are opaque, but etcd's are increasing integers: compare them as such, else prefer the informer's. */
function newer(a: string | undefined, b: string | undefined): boolean {
  if (!a) return false;
  if (!b) return true;
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) > BigInt(b);
}
