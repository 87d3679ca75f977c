import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../errors/slipway-error.js';
import type { ApplyResult, ObservedState, Plan, TargetDriver } from './contract.js';
import { planServices } from './plan-services.js';
import { validateDriver } from './validate-driver.js';

/** A driver that returns whatever the test hands it, unchecked. */
function fakeDriver(out: { observe?: unknown; plan?: unknown; apply?: unknown; logs?: unknown }): TargetDriver {
  return {
    type: 'fake',
    observe: async () => out.observe as ObservedState,
    plan: (desired, observed) => (out.plan as Plan | undefined) ?? planServices(desired, observed),
    apply: async () => out.apply as ApplyResult,
    delete: async () => {},
    logs: async () => out.logs as { lines: string[] },
    close: async () => {},
  };
}

const goodObserved: ObservedState = {
  environment: 'env_dev',
  services: [{ service: 'api', revision: 'r1', releaseId: 'rel_1', health: 'healthy', url: 'http://127.0.0.1:4000', instances: [], message: null }],
};

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<SlipwayError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(SlipwayError);
    return err as SlipwayError;
  }
  throw new Error('expected a rejection');
}

describe('validateDriver', () => {
  it('passes valid results through', async () => {
    const driver = validateDriver(fakeDriver({ observe: goodObserved, apply: { environment: 'env_dev', results: [] }, logs: { lines: ['a'] } }));
    expect(driver.type).toBe('fake');
    await expect(driver.observe('env_dev', ['api'])).resolves.toEqual(goodObserved);
    await expect(driver.apply({ environment: 'env_dev', actions: [] }, {})).resolves.toEqual({ environment: 'env_dev', results: [] });
    await expect(driver.logs({ environment: 'env_dev', service: 'api' })).resolves.toEqual({ lines: ['a'] });
  });

  it.each([
    ['an unknown health', { ...goodObserved, services: [{ ...goodObserved.services[0], health: 'fine' }] }, 'services.0.health'],
    ['a missing field', { ...goodObserved, services: [{ ...goodObserved.services[0], url: undefined }] }, 'services.0.url'],
    ['no services list', { environment: 'env_dev' }, 'services'],
    ['nothing at all', undefined, ''],
  ])('rejects an observe result with %s as SLW_DRIVER_CONTRACT', async (_what, result, path) => {
    const err = await rejection(validateDriver(fakeDriver({ observe: result })).observe('env_dev', ['api']));
    expect(err.code).toBe('SLW_DRIVER_CONTRACT');
    expect(err.message).toContain('driver "fake" returned an invalid observe result');
    if (path) expect(err.message).toContain(path);
  });

  it('rejects an invalid plan, apply or logs result', async () => {
    const bad = validateDriver(
      fakeDriver({ plan: { environment: 'e', actions: [{ type: 'explode', service: 'api', reason: '' }] }, apply: { environment: 'e', results: [{ service: 'api', ok: 'yes' }] }, logs: { lines: 'x' } }),
    );
    expect((await rejection(() => bad.plan({ environment: 'e', services: [] }, { environment: 'e', services: [] }))).message).toContain('invalid plan result: actions.0.type');
    expect((await rejection(bad.apply({ environment: 'e', actions: [] }, {}))).message).toContain('invalid apply result: results.0');
    expect((await rejection(bad.logs({ environment: 'e', service: 'api' }))).code).toBe('SLW_DRIVER_CONTRACT');
  });

  it('checks resource trees, down to the children, and keeps resources absent when the driver has none', async () => {
    const pod = { kind: 'Pod', name: 'api-1', namespace: 'dev', health: 'healthy', message: null, drift: [], children: [] };
    const tree = [{ kind: 'Deployment', name: 'api', namespace: 'dev', health: 'healthy', message: null, drift: [], children: [pod] }];
    const withTree = (value: unknown) => validateDriver({ ...fakeDriver({}), resources: async () => value as never });
    await expect(withTree(tree).resources?.('env_dev', 'api')).resolves.toEqual(tree);
    const err = await rejection(withTree([{ ...tree[0], children: [{ ...pod, health: 'fine' }] }]).resources!('env_dev', 'api'));
    expect(err.message).toContain('invalid resources result: 0.children.0.health');
    expect(validateDriver(fakeDriver({})).resources).toBeUndefined();
  });
});
