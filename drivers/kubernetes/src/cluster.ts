import { createDiscovery, type Discovery } from './discovery.js';
import { createInformers, type Informers, type WatchEvent } from './informers.js';
import { connect, type KubeClient, type KubeconfigSource } from './kube-client.js';
import { fieldManager, objectKey, parseObjectKey, type KubeObject } from './objects.js';
import { differences, project, seal } from './projection.js';

/**
 * What Slipway expects of an object: the fields it applied, as the server stored them (projected out of the apply's
 * answer, Secret values sealed). `answer` is the object the apply returned (none when read from an inventory).
 */
export interface Expectation {
  expected: unknown;
  manifest?: KubeObject;
  answer?: KubeObject;
}

/** One cluster as one user: client, discovery, informers, and what Slipway expects of every object it manages. */
export interface Cluster {
  client: KubeClient;
  discovery: Discovery;
  informers: Informers;
  expectations: Map<string, Expectation>;
  /** Server-side apply with Slipway's field manager (force: Slipway owns what it applies); `dryRun` changes nothing. */
  apply(manifest: KubeObject, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** The newer of the informer's copy and the last apply's answer (a watch may lag behind an apply). */
  live(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<KubeObject | undefined>;
  /** What differs from the expectation of the object with this key; empty: in sync; null: nothing is expected of it. */
  driftOf(key: string): Promise<string[] | null>;
  /** The drift of a manifest, expecting it by a dry-run apply when this process has no expectation of it yet. */
  drift(manifest: KubeObject): Promise<string[]>;
  remove(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<void>;
  close(): void;
}

export async function openCluster(source: KubeconfigSource, onEvent: (event: WatchEvent, cluster: Cluster) => void): Promise<Cluster> {
  const client = await connect(source);
  const discovery = createDiscovery(client);
  const expectations = new Map<string, Expectation>();
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
    // A dry run's answer is not the live object: only its projection is kept.
    expectations.set(objectKey(manifest), { manifest, expected: seal(manifest.kind, project(manifest, answer)), ...(options.dryRun ? {} : { answer }) });
    return answer;
  };

  const live = async (o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>) => {
    const key = objectKey(o);
    const cached = (await informers.ensure(o.apiVersion, o.kind, o.metadata.namespace)).get(key);
    const answer = expectations.get(key)?.answer;
    if (!answer) return cached;
    if (!cached) return newer(answer.metadata.resourceVersion, lastDeleted.get(key)) ? answer : undefined;
    return newer(answer.metadata.resourceVersion, cached.metadata.resourceVersion) ? answer : cached;
  };

  const driftOf = async (key: string) => {
    const known = expectations.get(key);
    if (!known) return null;
    const ref = parseObjectKey(key);
    const current = await live({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
    if (!current) return [`${ref.kind}/${ref.name} is gone`];
    return differences(known.expected, seal(ref.kind, project(known.expected, current)));
  };

  cluster = {
    client,
    discovery,
    informers,
    expectations,
    apply,
    live,
    driftOf,
    async drift(manifest) {
      const known = expectations.get(objectKey(manifest));
      if (!known?.manifest || JSON.stringify(known.manifest) !== JSON.stringify(manifest)) await apply(manifest, { dryRun: true });
      return (await driftOf(objectKey(manifest)))!;
    },
    async remove(o) {
      const path = await discovery.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
      await client.request('DELETE', path, { body: { propagationPolicy: 'Background' }, accept404: true });
      expectations.delete(objectKey(o as KubeObject));
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
