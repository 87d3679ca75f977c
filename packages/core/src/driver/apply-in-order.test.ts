import { describe, expect, it } from 'vitest';
import type { Plan } from './contract.js';
import { applyInOrder } from './apply-in-order.js';

const plan: Plan = {
  environment: 'env_dev',
  actions: [
    { type: 'noop', service: 'db', reason: 'up to date' },
    { type: 'create', service: 'api', reason: 'not running' },
    { type: 'replace', service: 'web', reason: 'revision a → b' },
    { type: 'create', service: 'worker', reason: 'not running' },
  ],
};

describe('applyInOrder', () => {
  it('applies in order, reports noops, and leaves what follows a failure unapplied', async () => {
    const ran: string[] = [];
    const progress: string[] = [];
    const result = await applyInOrder(plan, async (action, say) => {
      ran.push(action.service);
      say(`working on ${action.service}`);
      return action.service === 'web' ? 'health check failed' : null;
    }, { onProgress: (p) => progress.push(`${p.service}: ${p.message}`) });
    expect(ran).toEqual(['api', 'web']);
    expect(progress).toEqual(['api: working on api', 'web: working on web']);
    expect(result.results).toEqual([
      { service: 'db', action: 'noop', ok: true, message: 'up to date' },
      { service: 'api', action: 'create', ok: true, message: null },
      { service: 'web', action: 'replace', ok: false, message: 'health check failed' },
      { service: 'worker', action: 'create', ok: false, message: 'not applied: the action on web failed before it' },
    ]);
  });

  it('turns a rejection into a failure, and applies nothing once aborted', async () => {
    const thrown = await applyInOrder(plan, async () => {
      throw new Error('boom');
    });
    expect(thrown.results[1]).toEqual({ service: 'api', action: 'create', ok: false, message: 'create failed: boom' });
    const aborted = await applyInOrder(plan, async () => null, { signal: AbortSignal.abort() });
    expect(aborted.results.slice(1).map((r) => r.message)).toEqual(Array(3).fill('not applied: the deployment was aborted'));
  });
});
