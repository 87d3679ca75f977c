import { describe, expect, it } from 'vitest';
import { kubernetesExecutorSettings } from './kubernetes-executor-settings.js';

describe('kubernetesExecutorSettings', () => {
  it.each([
    [undefined, {}, undefined],
    [undefined, { SLIPWAY_KUBECONFIG: '/k' }, { kubeconfig: '/k', namespace: 'slipway-ci' }],
    [undefined, { SLIPWAY_KUBECONFIG: '/k', SLIPWAY_CI_NAMESPACE: 'ci', SLIPWAY_KUBE_CONTEXT: 'dev', SLIPWAY_CI_IMAGE: 'node:20' }, { kubeconfig: '/k', namespace: 'ci', context: 'dev', image: 'node:20' }],
    [{ kubeconfig: '/opt', namespace: 'own' }, { SLIPWAY_KUBECONFIG: '/k', SLIPWAY_CI_NAMESPACE: 'ci' }, { kubeconfig: '/opt', namespace: 'own' }],
    [
      undefined,
      { SLIPWAY_KUBECONFIG: '/k', SLIPWAY_CI_NODE_SELECTOR: 'kubernetes.io/hostname=slipway-node, disk=ssd', SLIPWAY_CI_TOLERATIONS: 'slipway.dev/real-node=true:NoSchedule,gpu:NoExecute', SLIPWAY_CI_IMAGE_PULL_POLICY: 'IfNotPresent' },
      {
        kubeconfig: '/k',
        namespace: 'slipway-ci',
        nodeSelector: { 'kubernetes.io/hostname': 'slipway-node', disk: 'ssd' },
        tolerations: [
          { key: 'slipway.dev/real-node', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
          { key: 'gpu', operator: 'Exists', effect: 'NoExecute' },
        ],
        imagePullPolicy: 'IfNotPresent',
      },
    ],
  ])('option %j with env %j gives %j', (option, env, expected) => {
    expect(kubernetesExecutorSettings(option, env)).toEqual(expected);
  });

  it.each([
    [{ SLIPWAY_CI_NODE_SELECTOR: 'kubernetes.io/hostname' }, /SLIPWAY_CI_NODE_SELECTOR: "kubernetes.io\/hostname" is not key=value/],
    [{ SLIPWAY_CI_TOLERATIONS: 'slipway.dev/real-node=true' }, /SLIPWAY_CI_TOLERATIONS: "slipway.dev\/real-node=true" is not key\[=value\]:/],
    [{ SLIPWAY_CI_IMAGE_PULL_POLICY: 'sometimes' }, /SLIPWAY_CI_IMAGE_PULL_POLICY: "sometimes" is not Always, IfNotPresent or Never/],
  ])('refuses %j by its variable', (env, message) => {
    expect(() => kubernetesExecutorSettings(undefined, { SLIPWAY_KUBECONFIG: '/k', ...env })).toThrow(message);
  });
});
