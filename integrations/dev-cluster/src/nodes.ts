import { kubernetesVersion } from './binaries.js';
import { kwokNodeAnnotation } from './component-args.js';

/**
 * A Node object for kwok to manage (the annotation selects it). No taint, unlike kwok's examples: ordinary workloads
 * must schedule onto it. Capacity is generous so that tests never run out of fake room.
 */
export function fakeNode(name: string): object {
  const resources = { cpu: '32', memory: '256Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    status: { allocatable: resources, capacity: resources, nodeInfo: { kubeletVersion: `v${kubernetesVersion}-kwok`, architecture: 'amd64', operatingSystem: 'linux' } },
  };
}
