import { containerPort, healthCheckSchema, renderResources, interpolateSecrets, interpolateServiceUrls, secretReferences, type DesiredService, type DesiredState, type EnvironmentRecord, type ObservedState, type Release, type ServiceStatus } from '@slipway/core';
import { isAbsolute, join } from 'node:path';
import { shortHash } from '../flow/revision.js';
import { freePortExcept } from './free-port.js';

interface RenderedConfig {
  command: string;
  port?: number;
  resources?: Parameters<typeof renderResources>[0];
  replicas?: number;
  env: Record<string, string>;
  dependsOn: string[];
  health: unknown;
  overrides?: Record<string, { env?: Record<string, string>; port?: number; replicas?: number; resources?: Parameters<typeof renderResources>[0] }>;
  kubernetes?: DesiredService['kubernetes'];
}

/** Services of a release, each after those it depends on. */
export function releaseOrder(release: Release): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !release.services[name]) return;
    seen.add(name);
    for (const dep of (release.services[name]!.config as unknown as RenderedConfig).dependsOn ?? []) visit(dep);
    out.push(name);
  };
  Object.keys(release.services).forEach(visit);
  return out;
}

/** For each service a deploy changes, the services it depends on that the same deploy changes first (it waits for them). */
export function dependencyWaits(release: Release, changing: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const service of changing) {
    const deps = ((release.services[service]?.config as unknown as RenderedConfig | undefined)?.dependsOn ?? []).filter((d) => changing.includes(d));
    if (deps.length > 0) out.set(service, deps);
  }
  return out;
}

/**
 * Renders a release into the desired state of one environment: overrides applied, stable ports fixed (configured, or
 * kept from what runs, or newly chosen), and `${{ services.x.url }}` resolved. The deploy revision covers everything
 * that makes a running instance different, so that an unchanged service is left alone.
 */
/** The secrets a deploy sets into its services: values by name, and when each was set (its version, for the revision). */
export interface DeploySecrets {
  values: Readonly<Record<string, string>>;
  versions: Readonly<Record<string, string>>;
}

/** The secret names the services of a release reference in their env (overrides of `env` included). */
export function referencedSecrets(release: Release, env: Pick<EnvironmentRecord, 'name'>): string[] {
  const names = new Set<string>();
  for (const svc of Object.values(release.services)) {
    const cfg = svc.config as unknown as RenderedConfig;
    for (const v of [...Object.values(cfg.env ?? {}), ...Object.values(cfg.overrides?.[env.name]?.env ?? {})]) for (const n of secretReferences(String(v))) names.add(n);
  }
  return [...names].sort();
}

/**
 * Without `secrets` (plans and diffs for people) `${{ secrets.X }}` stays as written; with them the values go into the
 * services' env, and only their versions into the revision, so that a new value redeploys and no value shows.
 */
export async function renderDesiredState(env: EnvironmentRecord, release: Release, observed: ObservedState, statuses: ServiceStatus[], secrets?: DeploySecrets): Promise<DesiredState> {
  const order = releaseOrder(release);
  const ports = new Map<string, number>();
  for (const name of order) {
    const cfg = release.services[name]!.config as unknown as RenderedConfig;
    const override = cfg.overrides?.[env.name];
    const live = observed.services.find((s) => s.service === name)?.url ?? statuses.find((s) => s.service === name)?.url ?? null;
    // On Kubernetes the port is the Service's, in the environment's namespace: nothing on the host to choose.
    if (env.targetType === 'kubernetes') {
      ports.set(name, override?.port ?? cfg.port ?? 80);
      continue;
    }
    ports.set(name, override?.port ?? cfg.port ?? (live ? Number(new URL(live).port) : await freePortExcept(new Set([...ports.values(), ...statuses.map((s) => (s.url ? Number(new URL(s.url).port) : 0))]))));
  }
  // Services reach each other where they run: on the host through the stable ports, in Docker by name on the
  // environment's network (the driver's container port), on Kubernetes by the Service's name in the namespace.
  const urls = Object.fromEntries([...ports].map(([name, port]) => [name, env.targetType === 'docker' ? `http://${name}:${containerPort}` : env.targetType === 'kubernetes' ? `http://${name}:${port}` : `http://127.0.0.1:${port}`]));
  return {
    environment: env.id,
    services: order.map((name) => {
      const svc = release.services[name]!;
      const cfg = svc.config as unknown as RenderedConfig;
      const override = cfg.overrides?.[env.name];
      const rawEnv = { ...cfg.env, ...(override?.env ?? {}) };
      const envVars = Object.fromEntries(Object.entries(rawEnv).map(([k, v]) => [k, interpolateServiceUrls(String(v), urls)]));
      const port = ports.get(name)!;
      const health = healthCheckSchema.parse(cfg.health ?? {});
      const used = [...new Set(Object.values(envVars).flatMap((v) => secretReferences(v)))].sort();
      const versions = used.map((n) => [n, secrets?.versions[n] ?? null]);
      const resources = renderResources(cfg.resources, override?.resources);
      const replicas = override?.replicas ?? cfg.replicas ?? 1;
      // Only the Kubernetes target reads this block; elsewhere it stays out of the revision.
      const kubernetes = env.targetType === 'kubernetes' && cfg.kubernetes ? { ...cfg.kubernetes, ...(cfg.kubernetes.manifests ? { manifests: isAbsolute(cfg.kubernetes.manifests) ? cfg.kubernetes.manifests : join(svc.artifact, cfg.kubernetes.manifests) } : {}) } : undefined;
      return {
        service: name,
        releaseId: release.id,
        // Secret versions and limits join the hash only when used, so that services without them keep their revision.
        revision: shortHash(JSON.stringify([svc.revision, cfg.command, envVars, port, health, ...(used.length ? [versions] : []), ...(resources ? [resources] : []), ...(replicas > 1 ? [replicas] : []), ...(svc.image ? [svc.image.reference] : []), ...(kubernetes ? [cfg.kubernetes] : [])])),
        artifact: svc.artifact,
        ...(svc.image ? { image: svc.image.reference } : {}),
        command: cfg.command,
        env: secrets ? Object.fromEntries(Object.entries(envVars).map(([k, v]) => [k, interpolateSecrets(v, secrets.values)])) : envVars,
        port,
        health,
        ...(resources ? { resources } : {}),
        ...(replicas > 1 ? { replicas } : {}),
        ...(kubernetes ? { kubernetes } : {}),
      };
    }),
  };
}
