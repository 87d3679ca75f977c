import { describe, expect, it } from 'vitest';
import { environmentPolicySchema, type EnvironmentPolicy } from '../config/schema.js';
import { evaluateGates, gateVerdict, type PromotionFacts } from './gates.js';
import { nextAllowed, timeVerdict } from './windows.js';

const policy = (p: Partial<EnvironmentPolicy> = {}): EnvironmentPolicy => ({ ...environmentPolicySchema.parse({}), ...p });
/** Thursday 2026-11-26 at 18:30 UTC. */
const thursdayEvening = new Date('2026-11-26T18:30:00Z');
const facts = (f: Partial<PromotionFacts> = {}): PromotionFacts => ({
  kind: 'promote',
  manual: false,
  policy: policy(),
  release: { version: 7, commitSha: 'abcdef0123456789' },
  ciRuns: 2,
  previous: { name: 'staging', passed: true },
  provenance: null,
  holdVersion: null,
  approvals: [],
  now: thursdayEvening,
  ...f,
});
const waiting = (f: Partial<PromotionFacts>) => {
  const v = gateVerdict(evaluateGates(facts(f)));
  return v.ready ? 'ready' : v.waitingOn.map((g) => g.gate);
};

describe('evaluateGates', () => {
  it('passes a promotion whose release is healthy in the previous environment, with CI as the first gate', () => {
    const gates = evaluateGates(facts());
    expect(gates.map((g) => [g.gate, g.passed])).toEqual([['ci', true], ['previous', true]]);
    expect(gates[0]!.detail).toBe('CI passed at abcdef0 (2 runs)');
    expect(gateVerdict(gates)).toEqual({ ready: true });
  });

  it('waits for the previous environment unless a person asked; the first environment has none', () => {
    expect(waiting({ previous: { name: 'staging', passed: false } })).toEqual(['previous']);
    expect(waiting({ previous: { name: 'staging', passed: false }, manual: true })).toBe('ready');
    expect(waiting({ previous: null })).toBe('ready');
  });

  it('counts approvals once per person, from the approver role up', () => {
    const p = policy({ approvals: 2 });
    expect(waiting({ policy: p })).toEqual(['approvals']);
    const ada = { actor: 'ada', role: 'approver' as const };
    expect(waiting({ policy: p, approvals: [ada, ada] })).toEqual(['approvals']);
    expect(waiting({ policy: p, approvals: [ada, { actor: 'bob', role: 'deployer' }] })).toEqual(['approvals']);
    expect(waiting({ policy: p, approvals: [ada, { actor: 'root', role: 'admin' }] })).toBe('ready');
    expect(waiting({ policy: policy({ approvals: 1, approverRole: 'admin' }), approvals: [ada] })).toEqual(['approvals']);
    expect(evaluateGates(facts({ policy: p, approvals: [ada] })).find((g) => g.gate === 'approvals')?.detail).toBe('1 of 2 approvals (role approver): ada');
  });

  it('holds releases up to the one rolled back, and lets a newer one through', () => {
    expect(waiting({ holdVersion: 7 })).toEqual(['hold']);
    expect(waiting({ holdVersion: 6 })).toBe('ready');
  });

  it('waits outside the deploy windows until the next one opens, in the policy time zone', () => {
    const office = policy({ windows: ['* 9-16 * * 1-5'], timeZone: 'Europe/Paris' });
    const v = gateVerdict(evaluateGates(facts({ policy: office })));
    // 19:30 in Paris on a Thursday: the next window is Friday 09:00 Paris, 08:00 UTC.
    expect(v).toMatchObject({ ready: false, retryAt: '2026-11-27T08:00:00.000Z' });
    expect(waiting({ policy: office, now: new Date('2026-11-27T08:00:00Z') })).toBe('ready');
    expect(waiting({ policy: office, now: new Date('2026-11-28T10:00:00Z') })).toEqual(['window']);
  });

  it('waits through a freeze, even inside a window, and a rollback passes everything', () => {
    const frozen = policy({ freezes: ['* * 24-26 12 *'], windows: ['* * * * *'] });
    const christmas = new Date('2026-12-25T12:00:00Z');
    const v = gateVerdict(evaluateGates(facts({ policy: frozen, now: christmas })));
    expect(v).toMatchObject({ ready: false, retryAt: '2026-12-27T00:00:00.000Z' });
    expect(waiting({ kind: 'rollback', policy: policy({ approvals: 3, freezes: ['* * * * *'] }), holdVersion: 9, now: christmas })).toBe('ready');
  });

  it('says so when no allowed minute comes within eight days, and looks again in an hour', () => {
    const never = policy({ windows: ['0 0 30 2 *'] });
    const v = gateVerdict(evaluateGates(facts({ policy: never })));
    expect(v).toMatchObject({ ready: false, retryAt: '2026-11-26T19:30:00.000Z' });
    expect(evaluateGates(facts({ policy: never })).at(-1)?.detail).toContain('no allowed minute within 8 days');
  });
});

describe('deploy windows', () => {
  const rules = { windows: ['* 9-16 * * 1-5'], freezes: ['* 12 * * *'], timeZone: 'UTC' };
  it('allows a minute a window matches and no freeze does', () => {
    expect(timeVerdict(rules, new Date('2026-11-26T10:15:00Z'))).toEqual({ allowed: true });
    expect(timeVerdict(rules, new Date('2026-11-26T12:15:00Z'))).toEqual({ allowed: false, rule: 'freeze', cron: '* 12 * * *' });
    expect(timeVerdict(rules, new Date('2026-11-26T17:00:00Z'))).toMatchObject({ allowed: false, rule: 'window' });
  });
  it('finds the next allowed minute, or now when now is allowed', () => {
    const now = new Date('2026-11-26T10:15:42Z');
    expect(nextAllowed(rules, now)).toBe(now);
    expect(nextAllowed(rules, new Date('2026-11-26T12:15:00Z'))?.toISOString()).toBe('2026-11-26T13:00:00.000Z');
  });
});
