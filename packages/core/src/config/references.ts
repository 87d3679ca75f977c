import { SlipwayError, type SourcePosition } from '../errors/slipway-error.js';
import type { SlipwayConfig } from './schema.js';
import { secretReferences, serviceReferences } from './interpolate.js';
import { secretNameProblem } from '../model/secret.js';
import { formatPath } from './parse-config.js';

type Locate = (path: readonly PropertyKey[], preferKey?: boolean) => SourcePosition;

/** Checks what a schema cannot: references between services and environments, and dependency cycles. */
export function checkReferences(config: SlipwayConfig, locate: Locate): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const services = Object.keys(config.services);
  const known = new Set(services);
  const unknownService = (ref: string, path: PropertyKey[]) =>
    new SlipwayError('SLW_CONFIG_REFERENCE', `${formatPath(path)}: unknown service "${ref}"`, {
      position: locate(path),
      path: formatPath(path),
      hint: `Known services: ${services.join(', ')}.`,
    });
  /** `${{ services.x.url }}` must name a service; `${{ secrets.X }}` a valid secret name. */
  const checkValue = (value: string, path: PropertyKey[]) => {
    for (const ref of serviceReferences(value)) if (!known.has(ref)) errors.push(unknownService(ref, path));
    for (const name of secretReferences(value)) {
      const problem = secretNameProblem(name);
      if (problem) errors.push(new SlipwayError('SLW_CONFIG_REFERENCE', `${formatPath(path)}: secret name "${name}" is invalid: ${problem}`, { position: locate(path), path: formatPath(path) }));
    }
  };
  for (const [svc, spec] of Object.entries(config.services)) {
    spec.dependsOn.forEach((dep, i) => {
      if (!known.has(dep)) errors.push(unknownService(dep, ['services', svc, 'dependsOn', i]));
      else if (dep === svc) errors.push(new SlipwayError('SLW_CONFIG_REFERENCE', `services.${svc}.dependsOn: a service cannot depend on itself`, { position: locate(['services', svc, 'dependsOn', i]) }));
    });
    for (const [key, value] of Object.entries(spec.env)) checkValue(String(value), ['services', svc, 'env', key]);
  }
  for (const [env, spec] of Object.entries(config.environments)) {
    for (const [svc, override] of Object.entries(spec.overrides)) {
      if (!known.has(svc)) errors.push(unknownService(svc, ['environments', env, 'overrides', svc]));
      for (const [key, value] of Object.entries(override.env ?? {})) checkValue(String(value), ['environments', env, 'overrides', svc, 'env', key]);
    }
  }
  const cycle = findCycle(config);
  if (cycle) {
    errors.push(
      new SlipwayError('SLW_CONFIG_REFERENCE', `dependency cycle: ${cycle.join(' -> ')}`, {
        position: locate(['services', cycle[0]!, 'dependsOn']),
        hint: 'Remove one of the dependsOn entries in the cycle.',
      }),
    );
  }
  return errors;
}

function findCycle(config: SlipwayConfig): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (svc: string): string[] | undefined => {
    if (state.get(svc) === 'done') return undefined;
    if (state.get(svc) === 'visiting') return [...stack.slice(stack.indexOf(svc)), svc];
    state.set(svc, 'visiting');
    stack.push(svc);
    for (const dep of config.services[svc]?.dependsOn ?? []) {
      if (dep === svc || !config.services[dep]) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(svc, 'done');
    return undefined;
  };
  for (const svc of Object.keys(config.services)) {
    const found = visit(svc);
    if (found) return found;
  }
  return undefined;
}
