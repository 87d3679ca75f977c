import { createHash } from 'node:crypto';

/**
 * Drift without false positives: only the fields Slipway applies are compared, so that values the server defaults and
 * fields other managers own (an HPA's replicas, a controller's annotations) never count. `project(applied, live)`
 * keeps from `live` the shape of `applied`: the same keys of objects, lists item by item.
 */
export function project(applied: unknown, live: unknown): unknown {
  if (Array.isArray(applied)) {
    // Item by item, as far as applied goes: items another manager added to a keyed list are theirs (server-side apply).
    const items = Array.isArray(live) ? live : [];
    return applied.map((a, i) => project(a, items[i]));
  }
  if (applied !== null && typeof applied === 'object') {
    const source = live !== null && typeof live === 'object' && !Array.isArray(live) ? (live as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(applied as Record<string, unknown>)) out[key] = project((applied as Record<string, unknown>)[key], source[key]);
    return out;
  }
  return live === undefined ? null : live;
}

/**
 * A Secret's values as digests: expectations are kept in the inventory ConfigMap and drift is said in events, and
 * neither may hold a secret. A projection is its own shape, so `project(expected, live)` works without the manifest.
 */
export function seal(kind: string, projection: unknown): unknown {
  if (kind !== 'Secret' || projection === null || typeof projection !== 'object') return projection;
  const out = { ...(projection as Record<string, unknown>) };
  for (const field of ['data', 'stringData']) {
    const values = out[field];
    if (values && typeof values === 'object') out[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : `sha256:${createHash('sha256').update(String(v)).digest('hex').slice(0, 16)}`]));
  }
  return out;
}

/** The paths where two projections differ, with both values, e.g. `spec.replicas: 3 (want 1)`. At most `limit`. */
export function differences(expected: unknown, actual: unknown, limit = 5, path = ''): string[] {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    const a = Array.isArray(expected) ? expected : [];
    const b = Array.isArray(actual) ? actual : [];
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length) && out.length < limit; i++) out.push(...differences(a[i], b[i], limit - out.length, `${path}[${i}]`));
    return out;
  }
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    const out: string[] = [];
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (out.length >= limit) break;
      out.push(...differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], limit - out.length, path ? `${path}.${key}` : key));
    }
    return out;
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [`${path || '(object)'}: ${show(actual)} (want ${show(expected)})`];
}

const show = (v: unknown) => {
  const text = v === undefined || v === null ? 'unset' : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
