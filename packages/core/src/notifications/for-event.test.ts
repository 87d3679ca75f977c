import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../model/event.js';
import { notificationFor } from './for-event.js';

const event = (kind: SlipwayEvent['kind'], data: Record<string, unknown>, message = 'm'): SlipwayEvent => ({ seq: 1, ts: '2026-11-26T00:00:00Z', kind, projectId: 'p', subject: null, message, data });

describe('notificationFor', () => {
  it('tells promotions, rollbacks, approvals needed and drift, and nothing else', () => {
    const topic = (e: SlipwayEvent) => notificationFor(e, 'shop') && [notificationFor(e, 'shop')!.topic, notificationFor(e, 'shop')!.severity, notificationFor(e, 'shop')!.title];
    expect(topic(event('promotion.succeeded', { environment: 'prod', version: 4, kind: 'promote' }))).toEqual(['promotion', 'good', 'shop: v4 is live in prod']);
    expect(topic(event('promotion.succeeded', { environment: 'prod', version: 3, kind: 'rollback' }))).toEqual(['rollback', 'good', 'shop: prod is back on v3']);
    expect(topic(event('promotion.failed', { environment: 'staging', version: 4 }))).toEqual(['promotion', 'danger', 'shop: v4 failed in staging']);
    expect(topic(event('deployment.rolled-back', { environment: 'staging', version: 4, toVersion: 3 }))).toEqual(['rollback', 'warning', 'shop: staging rolled back from v4 to v3']);
    expect(topic(event('promotion.created', { environment: 'prod', version: 3, kind: 'rollback', manual: true }))).toEqual(['rollback', 'warning', 'shop: prod is being rolled back by hand to v3']);
    expect(topic(event('drift.detected', { environment: 'dev', version: 2 }))).toEqual(['drift', 'warning', 'shop: dev drifted from v2']);
    const waiting = (gates: unknown[]) => event('promotion.waiting', { environment: 'prod', version: 5, promotionId: 'prm_1', gates });
    expect(notificationFor(waiting([{ gate: 'approvals', passed: false, detail: '0 of 1 approval (role approver)', retryAt: null }]), 'shop')).toMatchObject({ topic: 'approval', text: '0 of 1 approval (role approver). Approve with `slipway approve prm_1` or on the dashboard.' });
    expect(notificationFor(waiting([{ gate: 'window', passed: false, detail: 'outside', retryAt: null }]), 'shop')).toBeUndefined();
    expect(notificationFor(waiting([{ gate: 'approvals', passed: false, detail: '1 of 2 approvals (role approver): ada', retryAt: null }]), 'shop')).toBeUndefined();
    // The automatic rollback is told by deployment.rolled-back; its promotion.created would say it twice.
    expect(notificationFor(event('promotion.created', { environment: 'prod', version: 3, kind: 'rollback', manual: false }), 'shop')).toBeUndefined();
    expect(notificationFor(event('run.succeeded', {}), 'shop')).toBeUndefined();
  });
});
