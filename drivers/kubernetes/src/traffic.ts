import type { DesiredService, TrafficControl, TrafficRoute } from '@slipway/core';
import type { Cluster } from './cluster.js';
import { objectKey, type KubeObject } from './objects.js';
import { renderCanary, renderRoute, renderService, renderTrackService, type RenderContext, type Track } from './render.js';

interface Deps {
  resolve(environment: string): Promise<{ cluster: Cluster; ctx: RenderContext }>;
  deploy(environment: string, desired: DesiredService, progress: (m: string) => void, signal?: AbortSignal, track?: Track): Promise<string | null>;
  waitHealthy(cluster: Cluster, ctx: RenderContext, desired: DesiredService, keys: string[], progress: (m: string) => void): Promise<string | null>;
}

interface Canary {
  desired: DesiredService;
  route: TrafficRoute;
  /** Objects made for the canary, removed when it ends. */
  objects: KubeObject[];
}

/**
 * Canary and blue-green on Kubernetes. The new version runs as `<service>-canary` (pods on the `canary` track) next
 * to the stable Deployment. Without an HTTPRoute the share of requests follows the share of replicas (the Service
 * selects both tracks); with one, the route's backend weights split them between `<service>-stable` and
 * `<service>-canary`. Blue-green previews on `<service>-preview` (the canary's pods only, weight 0), and switches by
 * pointing the Service's selector at the canary track. A promotion then rolls the new revision into the stable
 * Deployment while the Service still selects the canary's pods, selects both again, and removes the canary. Requests
 * are not recorded here (no proxy in the path): analysis reads Prometheus or an HTTP check.
 */
export function createKubernetesTraffic(deps: Deps): TrafficControl & { forget(environment: string, service: string): void } {
  const canaries = new Map<string, Canary>();
  const key = (environment: string, service: string) => `${environment}\u0000${service}`;

  /** The canary's replicas for a weight: the stable replicas × w / (100 − w), at least one (a share of replicas is coarse). */
  const replicasFor = (desired: DesiredService, weight: number, stableReplicas: number) => (weight <= 0 ? 1 : weight >= 100 ? stableReplicas : Math.max(1, Math.round((stableReplicas * weight) / (100 - weight))));

  const stableReplicas = async (cluster: Cluster, ctx: RenderContext, desired: DesiredService) => {
    const live = await cluster.live({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: desired.service, namespace: ctx.namespace } });
    return Number(live?.spec?.replicas ?? desired.replicas ?? 1);
  };

  /** Applies the canary for a route: replicas, or the route's weights; blue-green (weight 0 with a header) only previews. */
  const shape = async (environment: string, canary: Canary, progress: (m: string) => void) => {
    const { cluster, ctx } = await deps.resolve(environment);
    const { desired, route } = canary;
    const blueGreenPreview = route.weight === 0;
    const stable = await stableReplicas(cluster, ctx, desired);
    const replicas = blueGreenPreview ? stable : replicasFor(desired, route.weight, stable);
    const objects = renderCanary(ctx, desired, replicas);
    if (blueGreenPreview) objects.push(renderTrackService(ctx, desired, `${desired.service}-preview`, 'canary'));
    const routed = desired.kubernetes?.route && !blueGreenPreview;
    if (routed) {
      objects.push(renderTrackService(ctx, desired, `${desired.service}-stable`, 'stable'), renderTrackService(ctx, desired, `${desired.service}-canary`, 'canary'));
    }
    for (const o of objects) await cluster.apply(o);
    if (routed) {
      await cluster.apply(renderRoute(ctx, desired, [{ name: `${desired.service}-stable`, weight: 100 - route.weight }, { name: `${desired.service}-canary`, weight: route.weight }]));
      progress(`HTTPRoute ${desired.service}: ${route.weight} % to ${desired.service}-canary`);
    } else if (!blueGreenPreview) {
      // With a route the canary's objects stay out of the Service (selected through its own), else replicas split the requests.
      progress(`${desired.service}-canary: ${replicas} replica${replicas > 1 ? 's' : ''} next to ${stable} stable, about ${Math.round((100 * replicas) / (replicas + stable))} % of requests`);
    }
    canary.objects = [...new Map([...canary.objects, ...objects].map((o) => [objectKey(o), o])).values()];
    return { cluster, objects };
  };

  /** Removes the canary's objects and gives the route back to the Service. */
  const remove = async (environment: string, canary: Canary) => {
    const { cluster, ctx } = await deps.resolve(environment);
    if (canary.desired.kubernetes?.route) await cluster.apply(renderRoute(ctx, canary.desired, [{ name: canary.desired.service, weight: 100 }]));
    for (const o of canary.objects) await cluster.remove(o);
  };

  return {
    async startCanary(environment, desired, route, progress = () => {}) {
      const canary: Canary = { desired, route, objects: [] };
      canaries.set(key(environment, desired.service), canary);
      const { cluster, objects } = await shape(environment, canary, progress);
      const { ctx } = await deps.resolve(environment);
      const failure = await deps.waitHealthy(cluster, ctx, desired, objects.map(objectKey), progress);
      if (failure) {
        await remove(environment, canary);
        canaries.delete(key(environment, desired.service));
      }
      return failure;
    },
    canaryRevision: (environment, service) => canaries.get(key(environment, service))?.desired.revision ?? null,
    async setRoute(environment, service, route) {
      const canary = canaries.get(key(environment, service));
      if (!canary) return;
      canary.route = route;
      await shape(environment, canary, () => {});
    },
    async promote(environment, service) {
      const canary = canaries.get(key(environment, service));
      if (!canary) return;
      const { cluster, ctx } = await deps.resolve(environment);
      // All requests to the new version at once: the Service selects only the canary's pods, the route sends them there.
      const [, , svc] = renderService(ctx, canary.desired, { track: 'canary' });
      await cluster.apply(svc!);
      if (canary.desired.kubernetes?.route) await cluster.apply(renderRoute(ctx, canary.desired, [{ name: `${service}-canary`, weight: 100 }]));
      // The stable Deployment takes the new revision behind it, then the Service selects both tracks and the canary goes.
      const failure = await deps.deploy(environment, canary.desired, () => {}, undefined, 'canary');
      if (failure) throw new Error(`the new revision did not become healthy in the stable Deployment: ${failure}`);
      await deps.deploy(environment, canary.desired, () => {});
      await remove(environment, canary);
      canaries.delete(key(environment, service));
    },
    // The old version is not kept warm on Kubernetes: a promotion rolls it over. Going back is a new rollout (rollback).
    switchBack: async () => false,
    async abort(environment, service) {
      const canary = canaries.get(key(environment, service));
      canaries.delete(key(environment, service));
      if (canary) return remove(environment, canary);
      // Not started by this process (the server restarted): remove the canary's objects by name; there may be none.
      const { cluster, ctx } = await deps.resolve(environment);
      const named = (kind: string, apiVersion: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: ctx.namespace } });
      await Promise.all([
        cluster.remove(named('Deployment', 'apps/v1', `${service}-canary`)),
        cluster.remove(named('Secret', 'v1', `${service}-canary-env`)),
        ...['preview', 'stable', 'canary'].map((suffix) => cluster.remove(named('Service', 'v1', `${service}-${suffix}`))),
      ]);
    },
    samples: () => [],
    totals: () => [],
    forget(environment, service) {
      canaries.delete(key(environment, service));
    },
  };
}
