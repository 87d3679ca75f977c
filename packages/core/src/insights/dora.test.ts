import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../model/event.js';
import { computeDora } from './dora.js';
import { scriptedHistory } from './testdata/scripted-history.js';

const events = (list: typeof scriptedHistory): SlipwayEvent[] => list.map((e, i) => ({ seq: i + 1, projectId: 'p', subject: null, message: '', ...e }));
const week = [new Date('2026-11-01T00:00:00Z'), new Date('2026-11-08T00:00:00Z')] as const;

describe('computeDora', () => {
  it('gives the four keys and the 2024 tiers of a scripted week', () => {
    const r = computeDora(events(scriptedHistory), 'prod', ...week);
    expect(r).toMatchObject({
      environment: 'prod',
      deployments: 4,
      deploymentFrequency: { perDay: 0.571, tier: 'high' },
      leadTime: { medianSeconds: 6 * 3600, changes: 5, tier: 'elite' },
      changeFailRate: { rate: 0.5, failed: 2, tier: 'low' },
      recoveryTime: { medianSeconds: 3900, failures: 2, recovered: 2, tier: 'high' },
      tier: { report: 'DORA 2024', overall: 'low' },
    });
    expect(r.daily.map((d) => [d.date, d.deployments, d.failed])).toEqual([
      ['2026-11-01', 1, 0],
      ['2026-11-02', 1, 0],
      ['2026-11-03', 1, 1],
      ['2026-11-04', 1, 1],
      ['2026-11-05', 0, 0],
      ['2026-11-06', 0, 0],
      ['2026-11-07', 0, 0],
    ]);
  });

  it('counts only the period and the environment asked for', () => {
    const r = computeDora(events(scriptedHistory), 'prod', new Date('2026-11-02T00:00:00Z'), new Date('2026-11-03T00:00:00Z'));
    expect(r).toMatchObject({ deployments: 1, leadTime: { medianSeconds: 3 * 3600, changes: 2 }, changeFailRate: { rate: 0 }, recoveryTime: { failures: 0, medianSeconds: null } });
    const dev = computeDora(events(scriptedHistory), 'dev', ...week);
    expect(dev).toMatchObject({ deployments: 1, leadTime: { medianSeconds: 360, changes: 1 } });
  });

  it('rates a team that deploys small changes several times a day, with no failure, elite; and has no tier without data', () => {
    const day = (n: number, h: number) => new Date(Date.UTC(2026, 10, 1 + n, h)).toISOString();
    const history: typeof scriptedHistory = [];
    for (let n = 0; n < 7; n++) {
      for (const h of [9, 14]) {
        const v = n * 2 + (h === 9 ? 1 : 2);
        history.push({ ts: day(n, h), kind: 'commit.seen', data: { sha: `s${v}`, committedAt: day(n, h - 1) } });
        history.push({ ts: day(n, h), kind: 'release.created', data: { version: v, commitSha: `s${v}` } });
        history.push({ ts: day(n, h + 1), kind: 'promotion.succeeded', data: { environment: 'prod', version: v, kind: 'promote' } });
      }
    }
    expect(computeDora(events(history), 'prod', ...week)).toMatchObject({ deployments: 14, deploymentFrequency: { perDay: 2 }, leadTime: { medianSeconds: 7200 }, changeFailRate: { rate: 0, tier: 'elite' }, recoveryTime: { tier: 'elite' }, tier: { overall: 'elite' } });
    expect(computeDora([], 'prod', ...week)).toMatchObject({ deployments: 0, changeFailRate: { rate: null, tier: null }, tier: { overall: null } });
  });
});
