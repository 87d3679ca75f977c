import type { SlipwayConfig } from '../config/schema.js';
import { matchesAny } from './glob.js';

export interface ServiceTrigger {
  service: string;
  triggered: boolean;
  /** Why, in words a user reads in the run view. */
  reason: string;
}

/** The globs a service owns: its `paths`, or everything under its `path`. */
export function ownedPaths(config: SlipwayConfig, service: string): string[] {
  const spec = config.services[service];
  if (!spec) return [];
  // Changed paths are repository-relative (`server.js`), so `path: .` (what `slipway init` writes) and `./dir` must not
  // keep their `./`: `./**` would match nothing.
  const dir = spec.path.replace(/\/+$/, '').replace(/^(\.\/)+/, '');
  return spec.paths ?? [dir === '' || dir === '.' ? '**' : `${dir}/**`];
}

/**
 * Decides which services a change triggers. `changed` is null on the first commit a project sees: then every service
 * is triggered. A change to slipway.yaml triggers the services whose config changed (`configChanged`).
 */
export function selectServices(config: SlipwayConfig, changed: readonly string[] | null, configChanged: ReadonlySet<string> = new Set()): ServiceTrigger[] {
  return Object.keys(config.services).map((service) => {
    if (changed === null) return { service, triggered: true, reason: 'first commit seen' };
    if (configChanged.has(service)) return { service, triggered: true, reason: 'its configuration in slipway.yaml changed' };
    const owned = ownedPaths(config, service);
    const shared = config.services[service]!.shared;
    for (const path of changed) {
      const own = matchesAny(path, owned);
      if (own) return { service, triggered: true, reason: `${path} changed (owned: ${own})` };
      const sh = matchesAny(path, shared);
      if (sh) return { service, triggered: true, reason: `${path} changed (shared: ${sh})` };
    }
    return { service, triggered: false, reason: `no change under ${owned.join(', ')}${shared.length ? ` or ${shared.join(', ')}` : ''}` };
  });
}

/** Services in dependency order: each after the services it depends on; ties keep declaration order. */
export function dependencyOrder(config: SlipwayConfig): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (svc: string) => {
    if (seen.has(svc)) return;
    seen.add(svc);
    for (const dep of config.services[svc]?.dependsOn ?? []) visit(dep);
    out.push(svc);
  };
  Object.keys(config.services).forEach(visit);
  return out;
}
