import { describe, expect, it } from 'vitest';
import { environmentPolicySchema, type ServiceStatus, type Store } from '@slipway/core';
import { releaseInput, seedProject, useStore, type NewStore } from './fixtures.js';

const envs = [
  { name: 'staging', position: 0, targetType: 'local' },
  { name: 'production', position: 1, targetType: 'local' },
];

async function seedEnvironment(store: Store) {
  const project = await seedProject(store);
  const [env] = await store.syncEnvironments(project.id, [envs[0]!]);
  const release = await store.createRelease(releaseInput(project.id));
  return { project, env: env!, release };
}

export function deliveryConformance(newStore: NewStore): void {
  describe('releases', () => {
    const f = useStore(newStore);

    it('numbers versions 1, 2, 3 per project and keeps the services', async () => {
      const p = await seedProject(f.store);
      const r1 = await f.store.createRelease(releaseInput(p.id));
      f.clock.advance(10);
      const r2 = await f.store.createRelease(releaseInput(p.id));
      f.clock.advance(10);
      const r3 = await f.store.createRelease({ ...releaseInput(p.id, 'd'.repeat(40)), changedServices: [] });
      expect([r1.version, r2.version, r3.version]).toEqual([1, 2, 3]);
      expect(await f.store.getRelease(r1.id)).toEqual(r1);
      expect(r1).toMatchObject({ projectId: p.id, commitSha: 'b'.repeat(40), changedServices: ['api'], services: releaseInput(p.id).services });
      expect(r3.changedServices).toEqual([]);
      expect(await f.store.getRelease('rel_missing')).toBeUndefined();
      expect((await f.store.listReleases({ projectId: p.id })).map((r) => r.version)).toEqual([3, 2, 1]);
      expect((await f.store.listReleases({ projectId: p.id, limit: 1 })).map((r) => r.id)).toEqual([r3.id]);
      expect((await f.store.createRelease(releaseInput((await seedProject(f.store)).id))).version).toBe(1);
    });

    it('assigns distinct versions to concurrent creators', async () => {
      const p = await seedProject(f.store);
      const releases = await Promise.all(Array.from({ length: 8 }, () => f.store.createRelease(releaseInput(p.id))));
      expect(releases.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  describe('environments and service status', () => {
    const f = useStore(newStore);

    it('syncs environments idempotently, updating positions and never deleting', async () => {
      const p = await seedProject(f.store);
      const first = await f.store.syncEnvironments(p.id, envs);
      expect(first.map((e) => [e.name, e.position, e.targetType, e.desiredReleaseId, e.lastGoodReleaseId, e.hold])).toEqual([
        ['staging', 0, 'local', null, null, null],
        ['production', 1, 'local', null, null, null],
      ]);
      expect(await f.store.syncEnvironments(p.id, envs)).toEqual(first);
      const reordered = await f.store.syncEnvironments(p.id, [
        { name: 'production', position: 0, targetType: 'docker' },
        { name: 'qa', position: 2, targetType: 'local' },
      ]);
      expect(reordered.map((e) => [e.name, e.position, e.targetType])).toEqual([
        ['production', 0, 'docker'],
        ['staging', 0, 'local'],
        ['qa', 2, 'local'],
      ]);
      expect(reordered.find((e) => e.name === 'production')!.id).toBe(first[1]!.id);
      expect(await f.store.listEnvironments(p.id)).toEqual(reordered);
      expect(await f.store.getEnvironment(first[0]!.id)).toEqual(first[0]);
      expect(await f.store.getEnvironment('env_missing')).toBeUndefined();
    });

    it('lists environments of every project by project, then position', async () => {
      await seedEnvironment(f.store);
      const all = await f.store.listEnvironments();
      const keys = all.map((e) => [e.projectId, e.position] as const);
      const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      expect(keys).toEqual(sorted);
      expect(new Set(all.map((e) => e.projectId)).size).toBeGreaterThan(1);
    });

    it('updates desired and last good release and the hold; null clears, undefined keeps', async () => {
      const { env, release } = await seedEnvironment(f.store);
      await f.store.updateEnvironment(env.id, { desiredReleaseId: release.id, lastGoodReleaseId: release.id, hold: 'rolled back' });
      expect(await f.store.getEnvironment(env.id)).toMatchObject({ desiredReleaseId: release.id, lastGoodReleaseId: release.id, hold: 'rolled back' });
      await f.store.updateEnvironment(env.id, { hold: null, desiredReleaseId: undefined });
      expect(await f.store.getEnvironment(env.id)).toMatchObject({ desiredReleaseId: release.id, hold: null });
    });

    it("keeps each environment's policy from slipway.yaml, with defaults, and the hold's version", async () => {
      const p = await seedProject(f.store);
      const policy = environmentPolicySchema.parse({ promotion: 'manual', approvals: 2, windows: ['* 9-16 * * 1-5'] });
      const [dev, prod] = await f.store.syncEnvironments(p.id, [
        { name: 'dev', position: 0, targetType: 'local' },
        { name: 'prod', position: 1, targetType: 'local', policy },
      ]);
      expect(dev!.policy).toEqual(environmentPolicySchema.parse({}));
      expect(prod!.policy).toEqual(policy);
      const [, again] = await f.store.syncEnvironments(p.id, [
        { name: 'dev', position: 0, targetType: 'local' },
        { name: 'prod', position: 1, targetType: 'local', policy: { ...policy, approvals: 1 } },
      ]);
      expect(again).toMatchObject({ id: prod!.id, policy: { approvals: 1 }, holdVersion: null });
      await f.store.updateEnvironment(prod!.id, { hold: 'v3 rolled back', holdVersion: 3 });
      expect(await f.store.getEnvironment(prod!.id)).toMatchObject({ hold: 'v3 rolled back', holdVersion: 3 });
      await f.store.updateEnvironment(prod!.id, { hold: null, holdVersion: null });
      expect(await f.store.getEnvironment(prod!.id)).toMatchObject({ hold: null, holdVersion: null });
      // Retired: no longer listed, still there by id; synced again, it is back with its id.
      await f.store.removeEnvironment(prod!.id);
      expect((await f.store.listEnvironments(p.id)).map((e) => e.name)).toEqual(['dev']);
      expect(await f.store.getEnvironment(prod!.id)).toMatchObject({ name: 'prod', desiredReleaseId: null });
      const back = await f.store.syncEnvironments(p.id, [{ name: 'prod', position: 1, targetType: 'local' }]);
      expect(back.map((e) => [e.name, e.id])).toEqual([['dev', dev!.id], ['prod', prod!.id]]);
    });

    it("keeps each environment's whole target: a Kubernetes namespace, cluster secret and context", async () => {
      const p = await seedProject(f.store);
      const [dev, prod] = await f.store.syncEnvironments(p.id, [
        { name: 'dev', position: 0, targetType: 'local' },
        { name: 'prod', position: 1, targetType: 'kubernetes', target: { type: 'kubernetes', namespace: 'shop', cluster: 'KUBECONFIG_PROD', context: 'eu' } },
      ]);
      expect(dev!.target).toEqual({ type: 'local' });
      expect(prod!.target).toEqual({ type: 'kubernetes', namespace: 'shop', cluster: 'KUBECONFIG_PROD', context: 'eu' });
      const [, moved] = await f.store.syncEnvironments(p.id, [
        { name: 'dev', position: 0, targetType: 'local' },
        { name: 'prod', position: 1, targetType: 'kubernetes', target: { type: 'kubernetes' } },
      ]);
      expect(moved).toMatchObject({ id: prod!.id, target: { type: 'kubernetes' } });
      expect((await f.store.getEnvironment(prod!.id))!.target).toEqual({ type: 'kubernetes' });
    });

    it('writes service status only when something but updatedAt changed', async () => {
      const { env, release } = await seedEnvironment(f.store);
      const status: ServiceStatus = {
        environmentId: env.id,
        service: 'api',
        releaseId: release.id,
        revision: 'r1',
        health: 'progressing',
        sync: 'synced',
        url: null,
        message: null,
        updatedAt: '2030-01-01T00:00:00.000Z',
      };
      expect(await f.store.putServiceStatus(status)).toBe(true);
      expect(await f.store.putServiceStatus({ ...status, updatedAt: '2030-01-01T00:01:00.000Z' })).toBe(false);
      expect(await f.store.listServiceStatus(env.id)).toEqual([status]);
      const healthy = { ...status, health: 'healthy' as const, url: 'http://127.0.0.1:4000', updatedAt: '2030-01-01T00:02:00.000Z' };
      expect(await f.store.putServiceStatus(healthy)).toBe(true);
      expect(await f.store.putServiceStatus({ ...healthy, message: 'ok' })).toBe(true);
      expect(await f.store.putServiceStatus({ ...healthy, message: null })).toBe(true);
      expect(await f.store.putServiceStatus({ ...status, service: 'web' })).toBe(true);
      expect((await f.store.listServiceStatus(env.id)).map((s) => [s.service, s.health, s.url])).toEqual([
        ['api', 'healthy', 'http://127.0.0.1:4000'],
        ['web', 'progressing', null],
      ]);
      expect((await f.store.listServiceStatus()).length).toBeGreaterThanOrEqual(2);
      await f.store.deleteServiceStatus(env.id, 'web');
      await f.store.deleteServiceStatus(env.id, 'never-there');
      expect((await f.store.listServiceStatus(env.id)).map((s) => s.service)).toEqual(['api']);
    });
  });

  describe('rollouts', () => {
    const f = useStore(newStore);

    it('creates, lists newest first, filters and moves a phase only from the phases named', async () => {
      const { project, env, release } = await seedEnvironment(f.store);
      const input = {
        projectId: project.id,
        environmentId: env.id,
        service: 'api',
        releaseId: release.id,
        deploymentId: null,
        promotionId: null,
        strategy: 'canary' as const,
        steps: [10, 50, 100],
        stepIndex: 0,
        weight: 10,
        phase: 'progressing' as const,
        reason: null,
        stableRevision: 'rev-old',
        canaryRevision: 'rev-new',
        stepStartedAt: f.clock.now().toISOString(),
        measurements: [],
        exposure: '10 % of requests for at most 5 s',
      };
      const first = await f.store.createRollout(input);
      f.clock.advance(10);
      const second = await f.store.createRollout({ ...input, service: 'web' });
      expect(first).toMatchObject({ ...input, finishedAt: null });
      expect(await f.store.getRollout(first.id)).toEqual(first);
      expect((await f.store.listRollouts({ environmentId: env.id })).map((r) => r.service)).toEqual(['web', 'api']);
      const measurement = { metric: 'errors', at: f.clock.now().toISOString(), step: 0, weight: 10, phase: 'failed' as const, value: 0.7, threshold: '≥ 0.95', detail: 'success rate 70 %' };
      expect(await f.store.updateRollout(first.id, { measurements: [measurement], phase: 'aborted', reason: 'errors failed', finishedAt: f.clock.now().toISOString() }, ['progressing', 'paused'])).toBe(true);
      expect(await f.store.updateRollout(first.id, { phase: 'succeeded' }, ['progressing'])).toBe(false);
      expect(await f.store.getRollout(first.id)).toMatchObject({ phase: 'aborted', reason: 'errors failed', measurements: [measurement], weight: 10 });
      expect((await f.store.listRollouts({ environmentId: env.id, phases: ['progressing', 'paused'] })).map((r) => r.id)).toEqual([second.id]);
      expect(await f.store.updateRollout(second.id, { stepIndex: 1, weight: 50.5 })).toBe(true);
      expect(await f.store.getRollout(second.id)).toMatchObject({ stepIndex: 1, weight: 50.5 });
      expect(await f.store.getRollout('rol_missing')).toBeUndefined();
    });
  });

  describe('promotions and deployments', () => {
    const f = useStore(newStore);

    it('creates, updates and lists promotions newest first', async () => {
      const { env, release } = await seedEnvironment(f.store);
      const p1 = await f.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: 'promote', reason: 'auto' });
      expect(p1).toMatchObject({ phase: 'pending', kind: 'promote', reason: 'auto', finishedAt: null, createdAt: f.clock.now().toISOString() });
      f.clock.advance(1000);
      const other = await f.store.createRelease(releaseInput(release.projectId));
      const p2 = await f.store.createPromotion({ releaseId: other.id, environmentId: env.id, kind: 'rollback', reason: null });
      const done = f.clock.now().toISOString();
      await f.store.updatePromotion(p1.id, { phase: 'succeeded', finishedAt: done });
      expect(await f.store.getPromotion(p1.id)).toEqual({ ...p1, phase: 'succeeded', finishedAt: done });
      expect(await f.store.getPromotion('prm_missing')).toBeUndefined();
      expect((await f.store.listPromotions({ environmentId: env.id })).map((p) => p.id)).toEqual([p2.id, p1.id]);
      expect((await f.store.listPromotions({ environmentId: env.id, releaseId: release.id })).map((p) => p.id)).toEqual([p1.id]);
      expect((await f.store.listPromotions({ environmentId: env.id, limit: 1 })).map((p) => p.id)).toEqual([p2.id]);
      expect((await f.store.listPromotions({ environmentId: env.id, limit: 1, offset: 1 })).map((p) => p.id)).toEqual([p1.id]);
      expect((await f.store.listPromotions({ projectId: release.projectId })).map((p) => p.id)).toEqual([p2.id, p1.id]);
      expect(await f.store.listPromotions({ projectId: 'prj_missing' })).toEqual([]);
    });

    it('moves a phase only from the phases named, keeps gates, and filters by phase', async () => {
      const { env, release } = await seedEnvironment(f.store);
      const p = await f.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: 'promote', reason: null, manual: true });
      expect(p).toMatchObject({ manual: true, gates: [] });
      const gates = [{ gate: 'approvals' as const, passed: false, detail: '0 of 1 approval', retryAt: null }];
      expect(await f.store.updatePromotion(p.id, { gates }, ['pending'])).toBe(true);
      expect(await f.store.updatePromotion(p.id, { phase: 'running' }, ['pending'])).toBe(true);
      // A second start, after a crash, finds it running already and changes nothing.
      expect(await f.store.updatePromotion(p.id, { phase: 'running', gates: [] }, ['pending'])).toBe(false);
      expect(await f.store.getPromotion(p.id)).toMatchObject({ phase: 'running', gates });
      expect((await f.store.listPromotions({ environmentId: env.id, phase: 'running' })).map((x) => x.id)).toEqual([p.id]);
      expect(await f.store.listPromotions({ environmentId: env.id, phase: 'pending' })).toEqual([]);
    });

    it('records one approval per person and promotion, oldest first', async () => {
      const { env, release } = await seedEnvironment(f.store);
      const p = await f.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: 'promote', reason: null });
      expect(await f.store.addApproval({ promotionId: p.id, actor: 'ada', role: 'approver', reason: 'looks good' })).toBe(true);
      f.clock.advance(1000);
      expect(await f.store.addApproval({ promotionId: p.id, actor: 'ada', role: 'approver', reason: 'again' })).toBe(false);
      expect(await f.store.addApproval({ promotionId: p.id, actor: 'root', role: 'admin', reason: null })).toBe(true);
      expect(await f.store.listApprovals(p.id)).toEqual([
        { promotionId: p.id, actor: 'ada', role: 'approver', reason: 'looks good', createdAt: expect.any(String) },
        { promotionId: p.id, actor: 'root', role: 'admin', reason: null, createdAt: f.clock.now().toISOString() },
      ]);
      expect(await f.store.listApprovals('prm_missing')).toEqual([]);
    });

    it('creates, updates and lists deployments newest first', async () => {
      const { env, release } = await seedEnvironment(f.store);
      const promotion = await f.store.createPromotion({ releaseId: release.id, environmentId: env.id, kind: 'promote', reason: null });
      const d1 = await f.store.createDeployment({ promotionId: promotion.id, environmentId: env.id, releaseId: release.id, services: ['api', 'web'] });
      expect(d1).toMatchObject({ phase: 'progressing', services: ['api', 'web'], message: null, finishedAt: null, startedAt: f.clock.now().toISOString() });
      f.clock.advance(1000);
      const d2 = await f.store.createDeployment({ promotionId: null, environmentId: env.id, releaseId: release.id, services: [] });
      const t = f.clock.now().toISOString();
      await f.store.updateDeployment(d1.id, { phase: 'failed', message: 'health check failed', finishedAt: t });
      const listed = await f.store.listDeployments({ environmentId: env.id });
      expect(listed.map((d) => d.id)).toEqual([d2.id, d1.id]);
      expect(listed[1]).toEqual({ ...d1, phase: 'failed', message: 'health check failed', finishedAt: t });
      expect(await f.store.listDeployments({ environmentId: env.id, limit: 1 })).toEqual([d2]);
    });
  });
}
