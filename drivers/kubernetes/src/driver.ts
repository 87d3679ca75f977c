import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { applyInOrder, combineHealth, logsInputSchema, planServices, type DesiredService, type ObservedService, type Plan, type PlanAction, type ResourceNode, type TargetDriver } from '@slipway/core';
import { openCluster, type Cluster } from './cluster.js';
import { endpointsLag } from './endpoints.js';
import { objectHealth } from './health.js';
import type { WatchEvent } from './informers.js';
import { loadManifests } from './manifests.js';
import { annotations, labels, objectKey, objectRef, parseObjectKey, type KubeObject } from './objects.js';
import { adoptManifest, managedLabels, renderService, safeLabel, type RenderContext, type Track } from './render.js';
import { createKubernetesTraffic } from './traffic.js';

/** Where an environment runs: its namespace, and the cluster as a kubeconfig (null: the server's own) and context. */
export interface KubernetesTarget {
  namespace: string;
  /** Default node selector and tolerations of the environment's pods. */
  placement?: RenderContext['placement'];
  kubeconfig: string | null;
  context?: string;
}

export interface KubernetesDriverOptions {
  /** Resolves an environment id to its target (read from the environment's `target` and its cluster secret). */
  targetOf(environment: string): Promise<KubernetesTarget>;
  /** How often a rollout's health is looked at while waiting (the informers feed it; no request). Default 250 ms. */
  pollMs?: number;
}

export interface KubernetesDriver extends TargetDriver {
  resources(environment: string, service: string): Promise<ResourceNode[]>;
  /** For the dashboard and tests: the cluster and render context an environment resolves to. */
  resolve(environment: string): Promise<{ cluster: Cluster; ctx: RenderContext }>;
}


const inventoryName = (service: string) => `slipway-inventory-${service}`;
const concurrency = 16;
/** How long a delete waits for the pods to stop: the default grace period (30 s) with room to spare. */
const podsGoneTimeoutMs = 45_000;

/**
 * The Kubernetes target: each service becomes objects (rendered, or its own manifests) applied with server-side apply
 * under the field manager `slipway`. A ConfigMap per service is its inventory: the objects applied, the revision and
 * the release. Objects left out of a new revision are pruned. Informers (list + watch) keep the live objects; drift is
 * a difference in the fields Slipway applied, found when a watch event arrives, and healed by applying again.
 */
export function createKubernetesDriver(options: KubernetesDriverOptions): KubernetesDriver {
  const clusters = new Map<string, Promise<Cluster>>();
  const listeners = new Set<(environment: string) => void>();
  /** Environment label value → environment id, for watch events. */
  const environmentByLabel = new Map<string, string>();
  const targets = new Map<string, { at: number; value: Promise<{ cluster: Cluster; ctx: RenderContext }> }>();
  const namespacesMade = new Set<string>();
  const pollMs = options.pollMs ?? 250;

  const onEvent = (event: WatchEvent, cluster: Cluster) => {
    const environment = environmentByLabel.get(event.object.metadata.labels?.[labels.environment] ?? '');
    if (!environment || listeners.size === 0) return;
    const key = objectKey(event.object);
    // Status updates (a rollout progressing) are not drift: only a change in what Slipway applied, or a deletion, is.
    if (!cluster.expectations.has(key) || event.object.kind === 'Pod') return;
    if (event.type === 'DELETED') return notify(environment);
    void cluster.driftOf(key).then((d) => d !== null && d.length > 0 && notify(environment), () => {});
  };
  const notify = (environment: string) => {
    for (const l of listeners) l(environment);
  };

  const clusterFor = (target: KubernetesTarget) => {
    const id = createHash('sha256').update(`${target.kubeconfig ?? '(default)'}\u0000${target.context ?? ''}`).digest('hex');
    let c = clusters.get(id);
    if (!c) {
      c = openCluster({ kubeconfig: target.kubeconfig, ...(target.context ? { context: target.context } : {}) }, onEvent);
      clusters.set(id, c);
      c.catch(() => clusters.delete(id));
    }
    return c;
  };

  const resolve = (environment: string) => {
    const cached = targets.get(environment);
    if (cached && Date.now() - cached.at < 30_000) return cached.value;
    const value = (async () => {
      const target = await options.targetOf(environment);
      environmentByLabel.set(safeLabel(environment), environment);
      return { cluster: await clusterFor(target), ctx: { namespace: target.namespace, environment, ...(target.placement ? { placement: target.placement } : {}) } };
    })();
    targets.set(environment, { at: Date.now(), value });
    value.catch(() => targets.delete(environment));
    return value;
  };

  const ensureNamespace = async (cluster: Cluster, namespace: string) => {
    const key = `${cluster.client.server}/${namespace}`;
    if (namespacesMade.has(key)) return;
    const found = await cluster.client.request('GET', `/api/v1/namespaces/${namespace}`, { accept404: true });
    if (found.status === 404) await cluster.client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [labels.managedBy]: 'slipway' } } } }).catch((err: { status?: number }) => {
      if (err.status !== 409) throw err;
    });
    namespacesMade.add(key);
  };

  /** The service's objects as they are applied: rendered, or its own manifests with Slipway's labels added. */
  const desiredObjects = async (cluster: Cluster, ctx: RenderContext, desired: DesiredService, track?: Track): Promise<KubeObject[]> => {
    if (!desired.kubernetes?.manifests) return renderService(ctx, desired, track ? { track } : {});
    const out: KubeObject[] = [];
    for (const o of await loadManifests(desired.kubernetes.manifests)) out.push(adoptManifest(ctx, desired.service, o, (await cluster.discovery.resource(o.apiVersion, o.kind)).namespaced));
    return out;
  };

  /** The inventory: the objects' keys, the revision and release, and what is expected of each object (gzipped JSON). */
  const inventoryObject = (cluster: Cluster, ctx: RenderContext, desired: DesiredService, keys: string[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: inventoryName(desired.service),
      namespace: ctx.namespace,
      labels: managedLabels(ctx, desired.service),
      annotations: { [annotations.revision]: desired.revision, [annotations.release]: desired.releaseId, [annotations.inventory]: JSON.stringify(keys) },
    },
    binaryData: { expectations: gzipSync(JSON.stringify(Object.fromEntries(keys.map((k) => [k, cluster.expectations.get(k)?.expected ?? null])))).toString('base64') },
  });

  /** Expectations read back from inventories (a new process), by the inventory's resourceVersion. */
  const readBack = new Map<string, string>();
  const readInventory = async (cluster: Cluster, ctx: RenderContext, service: string) => {
    // The newer of the watch's copy and this process's last write of it.
    const cm = await cluster.live({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: inventoryName(service), namespace: ctx.namespace } });
    if (!cm || cm.metadata.labels?.[labels.environment] !== safeLabel(ctx.environment)) return null;
    const a = cm.metadata.annotations ?? {};
    const keys = JSON.parse(a[annotations.inventory] ?? '[]') as string[];
    // What a restarted server expects of each object is what the last apply recorded, not what happens to be live.
    const stored = (cm.binaryData as Record<string, string> | undefined)?.expectations;
    if (stored && readBack.get(objectKey(cm)) !== cm.metadata.resourceVersion) {
      readBack.set(objectKey(cm), cm.metadata.resourceVersion ?? '');
      const expected = JSON.parse(gunzipSync(Buffer.from(stored, 'base64')).toString('utf8')) as Record<string, unknown>;
      // Written by another process (a restart, another replica): its expectations replace what this one remembers.
      for (const key of keys) if (expected[key] != null) cluster.expectations.set(key, { expected: expected[key] });
    }
    return { object: cm, revision: a[annotations.revision] ?? null, releaseId: a[annotations.release] ?? null, keys };
  };

  /** The live objects of an inventory, each with its health and drift from what Slipway applied. */
  const inspect = async (cluster: Cluster, keys: string[]) =>
    Promise.all(
      keys.map(async (key) => {
        const ref = parseObjectKey(key);
        const stub = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } } as KubeObject;
        const live = await cluster.live(stub);
        const drift = live ? ((await cluster.driftOf(key)) ?? []) : [];
        return { key, ref, live, drift, ...objectHealth(live) };
      }),
    );

  /** The service's pods; terminating ones (a replaced revision on its way out) only with `terminating`. */
  const pods = async (cluster: Cluster, ctx: RenderContext, service: string, terminating = false) => {
    const all = await cluster.informers.ensure('v1', 'Pod', ctx.namespace);
    return [...all.values()].filter((p) => (terminating || !p.metadata.deletionTimestamp) && p.metadata.labels?.[labels.service] === service && p.metadata.labels?.[labels.environment] === safeLabel(ctx.environment));
  };

  const observeService = async (environment: string, service: string): Promise<ObservedService> => {
    const { cluster, ctx } = await resolve(environment);
    const inventory = await readInventory(cluster, ctx, service);
    const missing: ObservedService = { service, revision: null, releaseId: null, health: 'missing', url: null, instances: [], message: null };
    if (!inventory) return missing;
    const objects = await inspect(cluster, inventory.keys);
    const drifted = objects.filter((o) => o.drift.length > 0);
    const gone = objects.filter((o) => !o.live);
    let health = combineHealth(objects.map((o) => o.health));
    const messages = [
      ...gone.map((o) => `${o.ref.kind}/${o.ref.name} is gone`),
      ...drifted.filter((o) => o.live).map((o) => `drifted: ${o.ref.kind}/${o.ref.name} ${o.drift.join(', ')}`),
      ...objects.filter((o) => o.live && o.health !== 'healthy' && o.message).map((o) => `${o.ref.kind}/${o.ref.name}: ${o.message}`),
    ];
    if (drifted.length > 0 && health !== 'missing') health = 'degraded';
    if (gone.length > 0) health = 'missing';
    const svc = objects.find((o) => o.ref.kind === 'Service' && o.ref.name === service)?.live;
    const port = (svc?.spec?.ports as { port: number }[] | undefined)?.[0]?.port;
    // The Service's cluster IP where it has one (reachable in the cluster, and from a node running kube-proxy), else its name.
    const clusterIp = typeof svc?.spec?.clusterIP === 'string' && /^[\d.]+$/.test(svc.spec.clusterIP) ? svc.spec.clusterIP : null;
    return {
      service,
      revision: inventory.revision,
      releaseId: inventory.releaseId,
      health,
      url: port ? `http://${clusterIp ?? `${service}.${ctx.namespace}.svc.cluster.local`}:${port}` : null,
      instances: (await pods(cluster, ctx, service)).map((p) => ({
        id: p.metadata.name,
        revision: p.metadata.annotations?.[annotations.revision] ?? inventory.revision ?? '',
        releaseId: inventory.releaseId ?? '',
        pid: null,
        port: null,
        health: objectHealth(p).health,
        startedAt: String(p.status?.startTime ?? p.metadata.creationTimestamp ?? new Date(0).toISOString()),
      })),
      message: messages.join('; ') || null,
    };
  };

  /** Applies objects, many at once, cluster-scoped definitions (Namespaces, CRDs) first. */
  const applyAll = async (cluster: Cluster, objects: KubeObject[]) => {
    const first = objects.filter((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition');
    const rest = objects.filter((o) => !first.includes(o));
    for (const batch of [first, rest]) await pool(batch, concurrency, (o) => cluster.apply(o));
  };

  /** Waits until every object is healthy; a degraded one (progress deadline exceeded, failed pods) or the timeout fails. */
  const waitHealthy = async (cluster: Cluster, ctx: RenderContext, desired: DesiredService, keys: string[], progress: (m: string) => void, signal?: AbortSignal): Promise<string | null> => {
    const deadline = Date.now() + desired.health.timeoutSeconds * 1000;
    let said = '';
    for (;;) {
      const objects = await inspect(cluster, keys);
      const waiting = objects.filter((o) => o.health !== 'healthy');
      let now: string;
      if (waiting.length === 0) {
        // Rolled out: done once each Service routes to exactly the pods now serving.
        const lag = await servingLag(cluster, objects.flatMap((o) => (o.ref.kind === 'Service' && o.live ? [o.live] : [])));
        // Then for the replaced pods to stop: their preStop sleep is the time every node's kube-proxy has to stop sending
        // them new connections, and open connections end with them. A pod past its grace period (a lost node) is not waited for.
        const stopping = lag === null ? (await pods(cluster, ctx, desired.service, true)).filter((p) => p.metadata.deletionTimestamp && Date.parse(p.metadata.deletionTimestamp) + 5_000 > Date.now()) : [];
        if (lag === null && stopping.length === 0) return null;
        now = lag ?? `${stopping.length} replaced pod(s) stopping`;
      } else {
        const bad = waiting.find((o) => o.health === 'degraded' && o.drift.length === 0);
        if (bad) return `${objectRef(bad.ref)} is degraded: ${bad.message ?? 'no reason given'}`;
        // A pod of the new revision that crashes or cannot pull its image fails the deploy now, not at the deadline.
        const crashing = (await pods(cluster, ctx, desired.service)).find((p) => p.metadata.annotations?.[annotations.revision] === desired.revision && objectHealth(p).health === 'degraded');
        if (crashing) return `pod ${crashing.metadata.name} failed: ${objectHealth(crashing).message}; output: ${(await podLog(cluster, ctx, crashing.metadata.name, 5)).join(' | ') || '(none)'}`;
        now = waiting.map((o) => `${objectRef(o.ref)} ${o.message ?? o.health}`).join('; ');
      }
      if (now !== said) progress((said = now));
      if (Date.now() > deadline) return `not healthy within ${desired.health.timeoutSeconds}s: ${now}`;
      if (signal?.aborted) return 'aborted';
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };

  /** What keeps the Services from routing to exactly their serving pods (their EndpointSlices lag behind), or null. */
  const servingLag = async (cluster: Cluster, services: KubeObject[]): Promise<string | null> => {
    const lags: string[] = [];
    for (const svc of services) {
      const namespace = svc.metadata.namespace!;
      const [podsIn, slices] = await Promise.all([cluster.informers.ensure('v1', 'Pod', namespace), cluster.informers.ensure('discovery.k8s.io/v1', 'EndpointSlice', namespace)]);
      const lag = endpointsLag(svc, podsIn.values(), slices.values());
      if (lag) lags.push(lag);
    }
    return lags.length > 0 ? lags.join('; ') : null;
  };

  /** The last lines a pod printed (none where it cannot say: a kwok node, a pod not started). */
  const podLog = async (cluster: Cluster, ctx: RenderContext, pod: string, tail: number): Promise<string[]> => {
    const read = async (previous: boolean) => {
      const { status, body } = await cluster.client.request<string>('GET', `/api/v1/namespaces/${ctx.namespace}/pods/${pod}/log?tailLines=${tail}${previous ? '&previous=true' : ''}`, { accept404: true }).catch(() => ({ status: 0, body: '' }));
      return status === 200 && typeof body === 'string' ? body.split('\n').filter(Boolean) : [];
    };
    // A container that crashed and was restarted printed its last words in the previous one.
    const current = await read(false);
    return current.length > 0 ? current : read(true);
  };

  /** Applies a service's revision, prunes what it no longer has, and waits for health. `track`: its Service selects only that track (blue-green). */
  const deploy = async (environment: string, desired: DesiredService, progress: (m: string) => void, signal?: AbortSignal, track?: Track): Promise<string | null> => {
    const { cluster, ctx } = await resolve(environment);
    await ensureNamespace(cluster, ctx.namespace);
    const objects = await desiredObjects(cluster, ctx, desired, track);
    const keys = objects.map(objectKey);
    const before = await readInventory(cluster, ctx, desired.service);
    const previous = before ? await snapshot(cluster, before) : null;
    progress(`applying ${objects.length} objects to namespace ${ctx.namespace} (server-side apply, field manager slipway)`);
    await applyAll(cluster, objects);
    const stale = (before?.keys ?? []).filter((k) => !keys.includes(k));
    for (const key of stale) {
      progress(`pruning ${objectRef(parseObjectKey(key))}`);
      await cluster.remove(stubOf(key));
    }
    // The inventory says the revision last: a crash before this applies everything again.
    const inventory = await cluster.apply(inventoryObject(cluster, ctx, desired, keys));
    readBack.set(objectKey(inventory), inventory.metadata.resourceVersion ?? '');
    progress(`waiting for ${objects.length} objects to be healthy (deadline ${desired.health.timeoutSeconds}s)`);
    const failure = await waitHealthy(cluster, ctx, desired, keys, progress, signal);
    if (failure === null) return null;
    // A failed revision is taken back: the previous one's objects as they were applied (its pods kept serving, as
    // maxUnavailable is 0), or nothing at all after a failed first deploy.
    progress(previous ? `taking back revision ${desired.revision.slice(0, 12)}` : 'removing the failed first revision');
    for (const key of keys.filter((k) => !previous?.manifests.some((m) => objectKey(m) === k))) await cluster.remove(stubOf(key));
    if (!previous) {
      await cluster.remove(inventory);
      return failure;
    }
    await applyAll(cluster, previous.manifests);
    const restored = await cluster.apply(previous.inventory);
    readBack.set(objectKey(restored), restored.metadata.resourceVersion ?? '');
    // Done when the previous revision is rolled out again and its Services route to it alone.
    const settled = await waitHealthy(cluster, ctx, { ...desired, revision: before!.revision ?? '' }, previous.manifests.map(objectKey), progress, signal);
    return `${failure}; revision ${before!.revision?.slice(0, 12) ?? '?'} ${settled === null ? 'keeps serving' : `was put back but is not healthy: ${settled}`}`;
  };

  /** What an inventory's objects were applied as, to apply again: the expected fields, Secrets with their live values. */
  const snapshot = async (cluster: Cluster, inventory: NonNullable<Awaited<ReturnType<typeof readInventory>>>) => {
    const manifests: KubeObject[] = [];
    for (const key of inventory.keys) {
      const expected = cluster.expectations.get(key)?.expected;
      if (!expected) return null;
      const manifest = withoutNulls(expected) as KubeObject;
      // Secret values are kept sealed: the live Secret still has them.
      if (manifest.kind === 'Secret') manifest.data = (await cluster.live(stubOf(key)))?.data ?? {};
      manifests.push(manifest);
    }
    const cm = inventory.object;
    const inventoryManifest: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm.metadata.name, namespace: cm.metadata.namespace!, labels: cm.metadata.labels ?? {}, annotations: cm.metadata.annotations ?? {} }, binaryData: cm.binaryData ?? {} };
    return { manifests, inventory: inventoryManifest };
  };

  const traffic = createKubernetesTraffic({ resolve, deploy, waitHealthy });

  const deleteService = async (environment: string, service: string) => {
    await traffic.abort(environment, service);
    const { cluster, ctx } = await resolve(environment);
    const inventory = await readInventory(cluster, ctx, service);
    if (!inventory) return;
    await pool(inventory.keys, concurrency, async (key) => {
      const ref = parseObjectKey(key);
      await cluster.remove({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
    });
    await cluster.remove(inventory.object);
    // Deleted means stopped, as a local or Docker instance is: wait (bounded) for its pods to finish terminating.
    const deadline = Date.now() + podsGoneTimeoutMs;
    while ((await pods(cluster, ctx, service, true)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
  };

  const runAction = async (environment: string, action: PlanAction, progress: (m: string) => void, signal?: AbortSignal): Promise<string | null> => {
    if (action.type === 'delete') {
      await deleteService(environment, action.service);
      return null;
    }
    if (!action.desired) return `${action.type} action has no desired state`;
    return deploy(environment, action.desired, progress, signal);
  };

  return {
    type: 'kubernetes',
    traffic,
    async observe(environment, services, signal) {
      signal?.throwIfAborted();
      return { environment, services: await Promise.all(services.map((s) => observeService(environment, s))) };
    },
    plan(desired, observed): Plan {
      const plan = planServices(desired, observed);
      // A restart heals drift: say what drifted rather than "degraded".
      const why = new Map(observed.services.map((s) => [s.service, s.message]));
      return { ...plan, actions: plan.actions.map((a) => (a.type === 'restart' && why.get(a.service) ? { ...a, reason: why.get(a.service)! } : a)) };
    },
    apply: (plan, options = {}) => applyInOrder(plan, (action, progress) => runAction(plan.environment, action, progress, options.signal), options),
    delete: deleteService,
    async logs(input) {
      const { environment, service, tail } = logsInputSchema.parse(input);
      const { cluster, ctx } = await resolve(environment);
      const lines: string[] = [];
      for (const pod of (await pods(cluster, ctx, service)).slice(0, 3)) lines.push(...(await podLog(cluster, ctx, pod.metadata.name, tail)));
      return { lines: lines.slice(-tail) };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async resources(environment, service) {
      const { cluster, ctx } = await resolve(environment);
      const inventory = await readInventory(cluster, ctx, service);
      if (!inventory) return [];
      const objects = await inspect(cluster, inventory.keys);
      const podList = await pods(cluster, ctx, service);
      return objects.map((o) => ({
        kind: o.ref.kind,
        name: o.ref.name,
        namespace: o.ref.namespace ?? null,
        health: o.health,
        message: o.message,
        drift: o.drift,
        children: o.ref.kind === 'Deployment' ? podList.filter((p) => p.metadata.labels?.[labels.track] === (o.live?.metadata.labels?.[labels.track] ?? 'stable')).map((p) => ({ kind: 'Pod', name: p.metadata.name, namespace: ctx.namespace, ...objectHealth(p), drift: [], children: [] })) : [],
      }));
    },
    resolve,
    async close() {
      for (const c of clusters.values()) await c.then((x) => x.close(), () => {});
      clusters.clear();
      targets.clear();
    },
  };
}

const stubOf = (key: string): KubeObject => {
  const ref = parseObjectKey(key);
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
};

/** A projection back into a manifest: fields the live object lacked (null) are left out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Runs `work` on every item, at most `limit` at a time; the first error rejects after the running ones finish. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const lane = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      await work(item).catch((err: unknown) => {
        failed ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== undefined) throw failed;
}
