import { describe, expect, it } from 'vitest';
import { kubernetesExecutorSettings } from './kubernetes-executor-settings.js';

describe('kubernetesExecutorSettings', () => {
  it.each([
    [undefined, {}, undefined],
    [undefined, { SLIPWAY_KUBECONFIG: '/k' }, { kubeconfig: '/k', namespace: 'slipway-ci' }],
    [undefined, { SLIPWAY_KUBECONFIG: '/k', SLIPWAY_CI_NAMESPACE: 'ci', SLIPWAY_KUBE_CONTEXT: 'dev', SLIPWAY_CI_IMAGE: 'node:20' }, { kubeconfig: '/k', namespace: 'ci', context: 'dev', image: 'node:20' }],
    [{ kubeconfig: '/opt', namespace: 'own' }, { SLIPWAY_KUBECONFIG: '/k', SLIPWAY_CI_NAMESPACE: 'ci' }, { kubeconfig: '/opt', namespace: 'own' }],
  ])('option %j with env %j gives %j', (option, env, expected) => {
    expect(kubernetesExecutorSettings(option, env)).toEqual(expected);
  });
});
