/**
 * Health vocabulary, shared by every target and reconciler. Ordered from best to worst so that
 * combining the health of many parts gives the worst one.
 */
export const healthStatuses = ['healthy', 'suspended', 'progressing', 'missing', 'unknown', 'degraded'] as const;
export type Health = (typeof healthStatuses)[number];

const rank: Record<Health, number> = { healthy: 0, suspended: 1, progressing: 2, missing: 3, unknown: 4, degraded: 5 };

export function isWorse(a: Health, b: Health): boolean {
  return rank[a] > rank[b];
}

/** The worst of several health values; `missing` for none. */
export function combineHealth(values: readonly Health[]): Health {
  if (values.length === 0) return 'missing';
  return values.reduce((worst, h) => (isWorse(h, worst) ? h : worst));
}

/** Sync status is separate from health: is the live state equal to the desired state? */
export const syncStatuses = ['synced', 'out-of-sync', 'unknown'] as const;
export type SyncStatus = (typeof syncStatuses)[number];
