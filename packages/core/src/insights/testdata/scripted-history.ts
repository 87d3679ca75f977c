import type { EventKind } from '../../model/event.js';

/**
 * A week of one project, production = `prod`: five commits, four releases, four deployments to prod (one fails its
 * health check and is rolled back automatically, one is rolled back by hand later), and a deploy to `dev` that does not
 * count. Expected, over 2026-11-01 – 2026-11-08: 4 deployments (0.571 a day), lead time median 6 h (2, 4, 6, 12, 36 h),
 * change fail rate 50 %, recovery median 3900 s (600 s and 7200 s); tiers high, elite, low, high; overall low.
 */
export const scriptedHistory: { ts: string; kind: EventKind; data: Record<string, unknown> }[] = [
  { ts: '2026-11-01T00:00:30Z', kind: 'commit.seen', data: { sha: 'c1', committedAt: '2026-11-01T00:00:00Z' } },
  { ts: '2026-11-01T00:05:00Z', kind: 'release.created', data: { version: 1, commitSha: 'c1' } },
  { ts: '2026-11-01T00:06:00Z', kind: 'promotion.succeeded', data: { environment: 'dev', version: 1, kind: 'promote' } },
  { ts: '2026-11-01T06:00:00Z', kind: 'promotion.succeeded', data: { environment: 'prod', version: 1, kind: 'promote' } },
  { ts: '2026-11-02T00:00:30Z', kind: 'commit.seen', data: { sha: 'c2', committedAt: '2026-11-02T00:00:00Z' } },
  { ts: '2026-11-02T02:00:30Z', kind: 'commit.seen', data: { sha: 'c3', committedAt: '2026-11-02T02:00:00Z' } },
  { ts: '2026-11-02T02:05:00Z', kind: 'release.created', data: { version: 2, commitSha: 'c3' } },
  { ts: '2026-11-02T04:00:00Z', kind: 'promotion.succeeded', data: { environment: 'prod', version: 2, kind: 'promote' } },
  { ts: '2026-11-03T00:00:30Z', kind: 'commit.seen', data: { sha: 'c4', committedAt: '2026-11-03T00:00:00Z' } },
  { ts: '2026-11-03T00:05:00Z', kind: 'release.created', data: { version: 3, commitSha: 'c4' } },
  { ts: '2026-11-03T01:00:00Z', kind: 'promotion.failed', data: { environment: 'prod', version: 3 } },
  { ts: '2026-11-03T01:00:01Z', kind: 'promotion.created', data: { environment: 'prod', version: 2, kind: 'rollback', fromVersion: 3 } },
  { ts: '2026-11-03T01:10:00Z', kind: 'promotion.succeeded', data: { environment: 'prod', version: 2, kind: 'rollback' } },
  { ts: '2026-11-04T00:00:30Z', kind: 'commit.seen', data: { sha: 'c5', committedAt: '2026-11-04T00:00:00Z' } },
  { ts: '2026-11-04T00:05:00Z', kind: 'release.created', data: { version: 4, commitSha: 'c5' } },
  { ts: '2026-11-04T12:00:00Z', kind: 'promotion.succeeded', data: { environment: 'prod', version: 4, kind: 'promote' } },
  { ts: '2026-11-05T00:00:00Z', kind: 'promotion.created', data: { environment: 'prod', version: 2, kind: 'rollback', fromVersion: 4 } },
  { ts: '2026-11-05T02:00:00Z', kind: 'promotion.succeeded', data: { environment: 'prod', version: 2, kind: 'rollback' } },
];
