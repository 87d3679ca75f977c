import type { EnvironmentPolicy } from '../config/schema.js';
import type { GateStatus } from '../model/environment.js';
import { roleAllows, type Role } from '../model/token.js';
import { nextAllowed, timeVerdict } from './windows.js';

/** What a promotion's gates are judged on; gathered by the engine, judged here without side effects. */
export interface PromotionFacts {
  kind: 'promote' | 'rollback';
  /** Asked for by a person (`slipway deploy`) rather than by the chain of environments. */
  manual: boolean;
  policy: EnvironmentPolicy;
  release: { version: number; commitSha: string };
  /** The CI runs of the release's commit (a release exists only when all of them succeeded). */
  ciRuns: number;
  /** The environment before this one, and whether the release is live and healthy there; null for the first. */
  previous: { name: string; passed: boolean } | null;
  /** The version a rollback in this environment moved away from; releases up to it are held. */
  holdVersion: number | null;
  approvals: { actor: string; role: Role }[];
  /** Whether the release's provenance verified, when the environment requires it (`requireProvenance`); else null. */
  provenance: { verified: boolean; detail: string } | null;
  now: Date;
}

/**
 * Judges every gate of a promotion. A rollback passes them all: it restores a release that was live here, and holding it
 * back for a window or an approval would keep a failure running. Gates that will pass by themselves later (a window)
 * say when (`retryAt`).
 */
export function evaluateGates(f: PromotionFacts): GateStatus[] {
  if (f.kind === 'rollback') return [{ gate: 'rollback', passed: true, detail: 'a rollback passes every gate', retryAt: null }];
  const gates: GateStatus[] = [{ gate: 'ci', passed: true, detail: `CI passed at ${f.release.commitSha.slice(0, 7)} (${f.ciRuns} run${f.ciRuns === 1 ? '' : 's'})`, retryAt: null }];
  if (f.previous && !f.manual) {
    gates.push({ gate: 'previous', passed: f.previous.passed, detail: f.previous.passed ? `v${f.release.version} is live and healthy in ${f.previous.name}` : `waiting for v${f.release.version} to be live and healthy in ${f.previous.name}`, retryAt: null });
  }
  if (f.provenance) gates.push({ gate: 'provenance', passed: f.provenance.verified, detail: f.provenance.detail, retryAt: null });
  if (f.holdVersion !== null) {
    const passed = f.release.version > f.holdVersion;
    gates.push({ gate: 'hold', passed, detail: passed ? `newer than v${f.holdVersion}, which was rolled back here` : `held: v${f.holdVersion} was rolled back here; only a newer release is promoted`, retryAt: null });
  }
  if (f.policy.approvals > 0) {
    const counted = new Set(f.approvals.filter((a) => roleAllows(a.role, f.policy.approverRole)).map((a) => a.actor));
    const passed = counted.size >= f.policy.approvals;
    gates.push({ gate: 'approvals', passed, detail: `${counted.size} of ${f.policy.approvals} approval${f.policy.approvals === 1 ? '' : 's'} (role ${f.policy.approverRole})${counted.size ? `: ${[...counted].join(', ')}` : ''}`, retryAt: null });
  }
  const rules = { windows: f.policy.windows, freezes: f.policy.freezes, timeZone: f.policy.timeZone };
  if (rules.windows.length > 0 || rules.freezes.length > 0) {
    const verdict = timeVerdict(rules, f.now);
    if (verdict.allowed) {
      gates.push({ gate: 'window', passed: true, detail: `deploys are allowed now (${f.policy.timeZone})`, retryAt: null });
    } else {
      const next = nextAllowed(rules, f.now);
      const why = verdict.rule === 'freeze' ? `frozen (${verdict.cron})` : `outside the deploy windows (${verdict.cron})`;
      const retryAt = next ?? new Date(f.now.getTime() + 3600_000);
      gates.push({ gate: 'window', passed: false, detail: `${why}, ${f.policy.timeZone}; ${next ? `next allowed at ${next.toISOString()}` : 'no allowed minute within 8 days'}`, retryAt: retryAt.toISOString() });
    }
  }
  return gates;
}

/** A gate that will never pass for this release: the promotion is refused rather than left waiting. */
export const refusingGates = (gates: GateStatus[]): GateStatus[] => gates.filter((g) => g.gate === 'provenance' && !g.passed);

/** When every gate passed; else the earliest time one that is waiting may pass by itself (null: it waits for a person or another environment). */
export function gateVerdict(gates: GateStatus[]): { ready: true } | { ready: false; waitingOn: GateStatus[]; retryAt: string | null } {
  const waitingOn = gates.filter((g) => !g.passed);
  if (waitingOn.length === 0) return { ready: true };
  const times = waitingOn.map((g) => g.retryAt).filter((t): t is string => t !== null).sort();
  return { ready: false, waitingOn, retryAt: times[0] ?? null };
}
