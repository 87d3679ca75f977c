import type { z } from 'zod';
import type { resourcesSchema } from './schema.js';

const units: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** `512Mi` → 536870912; a number is bytes already. */
export function memoryBytes(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(value);
  if (!m) throw new Error(`"${value}" is not a memory size`);
  return Math.round(Number(m[1]) * units[m[2] ?? '']!);
}

/** The limits of a service in an environment: the override's fields over the service's, as the driver takes them. */
export function renderResources(base: z.output<typeof resourcesSchema> | undefined, override: z.output<typeof resourcesSchema> | undefined): { memoryBytes?: number; cpus?: number } | undefined {
  const memory = override?.memory ?? base?.memory;
  const cpus = override?.cpus ?? base?.cpus;
  if (memory === undefined && cpus === undefined) return undefined;
  return { ...(memory !== undefined ? { memoryBytes: memoryBytes(memory) } : {}), ...(cpus !== undefined ? { cpus } : {}) };
}
