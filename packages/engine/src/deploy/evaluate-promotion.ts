import { evaluateGates, gateVerdict, refusingGates, type EnvironmentRecord, type GateStatus, type Promotion, type Release } from '@slipway/core';
import { nowIso, type EngineContext } from '../context.js';
import { crashPoint } from '../crash-point.js';
import { verifyRelease } from '../supply-chain/verify-release.js';
import { emitOnce } from '../events/emit-once.js';
import { DeferItem, type JobHandler } from '../scheduler/worker.js';

/** How often a promotion waiting for the environment's lock (another promotion deploying) looks again. */
const lockRetryMs = 1000;

/**
 * `promotion.evaluate`: judges a pending promotion's gates and, when all pass and no other promotion is deploying in
 * the environment, starts it: pending → running (once, whatever crashes), the environment's desired release, and its
 * reconciler. A gate that waits for time is looked at again when it may pass; one that waits for a person (an approval)
 * or another environment is looked at again when that happens. Re-running the job after a crash finishes a start that
 * was cut short.
 */
export function createPromotionHandler(ctx: EngineContext): JobHandler {
  return async (item) => {
    const promotion = await ctx.store.getPromotion(String(item.payload.promotionId));
    if (!promotion || (promotion.phase !== 'pending' && promotion.phase !== 'running')) return;
    const env = await ctx.store.getEnvironment(promotion.environmentId);
    const release = await ctx.store.getRelease(promotion.releaseId);
    if (!env || !release) return;
    if (promotion.phase === 'running') return ensureStarted(ctx, env, release, promotion);

    const gates = await judge(ctx, env, release, promotion);
    const refused = refusingGates(gates);
    if (refused.length > 0) return refuse(ctx, env, release, promotion, gates, refused);
    const verdict = gateVerdict(gates);
    if (!verdict.ready) {
      await ctx.store.updatePromotion(promotion.id, { gates }, ['pending']);
      if (changed(promotion.gates, gates)) {
        const waiting = verdict.waitingOn.map((g) => g.detail).join('; ');
        await ctx.bus.emit({ kind: 'promotion.waiting', projectId: release.projectId, subject: `promotion:${promotion.id}`, message: `v${release.version} to ${env.name} waits: ${waiting}`, data: { promotionId: promotion.id, environment: env.name, version: release.version, gates } });
      }
      if (verdict.retryAt) throw new DeferItem(Math.max(1000, Date.parse(verdict.retryAt) - ctx.clock.now().getTime()));
      return;
    }
    // One promotion deploys at a time per environment; a rollback takes over from the one deploying.
    const [running] = (await ctx.store.listPromotions({ environmentId: env.id, phase: 'running', limit: 5 })).filter((p) => p.id !== promotion.id);
    if (running && promotion.kind === 'promote') {
      const lock: GateStatus = { gate: 'previous', passed: false, detail: `waiting for the promotion deploying in ${env.name} to finish`, retryAt: null };
      await ctx.store.updatePromotion(promotion.id, { gates: [...gates, lock] }, ['pending']);
      throw new DeferItem(lockRetryMs);
    }
    if (running) await ctx.store.updatePromotion(running.id, { phase: 'aborted', reason: `replaced by a rollback to v${release.version}`, finishedAt: nowIso(ctx) }, ['running']);
    crashPoint('promotion.judged');
    if (!(await ctx.store.updatePromotion(promotion.id, { phase: 'running', gates }, ['pending']))) return;
    crashPoint('promotion.running');
    await ensureStarted(ctx, env, release, promotion);
  };
}

/** Said once, the environment wants the release, and its reconciler is queued: each step idempotent, so a re-run after a crash finishes the start. */
async function ensureStarted(ctx: EngineContext, env: EnvironmentRecord, release: Release, promotion: Promotion): Promise<void> {
  await emitOnce(ctx, {
    kind: 'promotion.started',
    projectId: release.projectId,
    subject: `environment:${env.id}`,
    message: `${promotion.kind === 'rollback' ? 'rollback' : 'promotion'} of v${release.version} to ${env.name} started: ${promotion.reason ?? ''}`.trimEnd(),
    data: { promotionId: promotion.id, releaseId: release.id, version: release.version, environment: env.name, kind: promotion.kind },
  }, 'promotionId');
  if (env.desiredReleaseId !== release.id) await ctx.store.updateEnvironment(env.id, { desiredReleaseId: release.id });
  crashPoint('promotion.desired');
  await ctx.enqueue('environment.reconcile', { environmentId: env.id }, { dedupeKey: `env:${env.id}` });
}

/** A gate that can never pass (the provenance does not verify): the promotion fails at once, and says why. */
async function refuse(ctx: EngineContext, env: EnvironmentRecord, release: Release, promotion: Promotion, gates: GateStatus[], refused: GateStatus[]): Promise<void> {
  const reason = refused.map((g) => g.detail).join('; ');
  if (!(await ctx.store.updatePromotion(promotion.id, { phase: 'failed', gates, reason: `refused: ${reason}`, finishedAt: nowIso(ctx) }, ['pending']))) return;
  await ctx.bus.emit({
    kind: 'promotion.refused',
    projectId: release.projectId,
    subject: `promotion:${promotion.id}`,
    message: `v${release.version} refused in ${env.name}: ${reason}`,
    data: { promotionId: promotion.id, environment: env.name, version: release.version, gates },
  });
}

async function judge(ctx: EngineContext, env: EnvironmentRecord, release: Release, promotion: Promotion): Promise<GateStatus[]> {
  const [runs, approvals, previous, provenance] = await Promise.all([
    ctx.store.listRuns({ projectId: release.projectId, commitSha: release.commitSha, limit: 500 }),
    ctx.store.listApprovals(promotion.id),
    previousEnvironment(ctx, env, release),
    env.policy.requireProvenance && promotion.kind === 'promote' ? provenanceFact(ctx, release) : null,
  ]);
  return evaluateGates({
    kind: promotion.kind,
    manual: promotion.manual,
    policy: env.policy,
    release,
    ciRuns: runs.filter((r) => r.trigger !== 'pull_request').length,
    previous,
    holdVersion: env.holdVersion,
    approvals,
    provenance,
    now: ctx.clock.now(),
  });
}

/** The release's verification, in one line for the gate. */
async function provenanceFact(ctx: EngineContext, release: Release): Promise<{ verified: boolean; detail: string }> {
  const report = await verifyRelease(ctx, release);
  if (report.verified) return { verified: true, detail: `provenance verified for ${report.services.length} image${report.services.length === 1 ? '' : 's'} (key ${report.keyid?.slice(0, 12)}…)` };
  const failed = report.services.filter((s) => !s.verified).map((s) => `${s.service}: ${s.checks.find((c) => !c.passed)?.detail}`);
  return { verified: false, detail: `provenance does not verify (${failed.join('; ')})` };
}

/** The environment before this one, and whether the release was promoted there successfully. */
async function previousEnvironment(ctx: EngineContext, env: EnvironmentRecord, release: Release): Promise<{ name: string; passed: boolean } | null> {
  const before = (await ctx.store.listEnvironments(env.projectId)).filter((e) => e.position < env.position).at(-1);
  if (!before) return null;
  const done = await ctx.store.listPromotions({ environmentId: before.id, releaseId: release.id, phase: 'succeeded', limit: 1 });
  return { name: before.name, passed: done.length > 0 };
}

const changed = (a: GateStatus[], b: GateStatus[]) => JSON.stringify(a.map((g) => [g.gate, g.passed, g.detail])) !== JSON.stringify(b.map((g) => [g.gate, g.passed, g.detail]));
