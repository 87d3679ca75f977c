import type { EnvironmentRecord, FieldChange, Release, ServiceStatus } from '@slipway/core';
import { renderDesiredState } from './desired-state.js';

export type RenderedService = Awaited<ReturnType<typeof renderDesiredState>>['services'][number];

/** A release rendered for an environment, by service (none for no release). Ports come from what runs, else as configured. */
export async function renderServices(env: EnvironmentRecord, release: Release | undefined, statuses: ServiceStatus[]): Promise<Map<string, RenderedService>> {
  if (!release) return new Map();
  return new Map((await renderDesiredState(env, release, { environment: env.id, services: [] }, statuses)).services.map((s) => [s.service, s]));
}

/** What differs between two renderings of a service: revision, command, port, health check and each env var. */
export function fieldChanges(a: RenderedService | undefined, b: RenderedService, to: Release, from?: Release): FieldChange[] {
  const out: FieldChange[] = [];
  const add = (field: string, before: unknown, after: unknown) => {
    const f = before === undefined || before === null ? null : String(before);
    const t = after === undefined || after === null ? null : String(after);
    if (f !== t) out.push({ field, from: f, to: t });
  };
  add('revision', a ? from?.services[b.service]?.revision.slice(0, 12) : undefined, to.services[b.service]?.revision.slice(0, 12));
  add('command', a?.command, b.command);
  // A port the environment picked itself is not a change the release makes.
  if (a?.port !== undefined) add('port', a.port, b.port);
  add('health', a && JSON.stringify(a.health), JSON.stringify(b.health));
  for (const key of [...new Set([...Object.keys(a?.env ?? {}), ...Object.keys(b.env)])].sort()) add(`env.${key}`, a?.env[key], b.env[key]);
  return out;
}
