import { describe, expect, it } from 'vitest';
import type { EnvironmentResources, ResourceNode } from '@slipway/core';
import { resourceTreeLines } from './resources.js';

const node = (kind: string, name: string, more: Partial<ResourceNode> = {}): ResourceNode => ({ kind, name, namespace: 'dev', health: 'healthy', message: null, drift: [], children: [], ...more });
const report = (services: EnvironmentResources['services'], more: Partial<EnvironmentResources> = {}): EnvironmentResources => ({ environment: 'dev', target: 'kubernetes', supported: true, services, ...more });

describe('resourceTreeLines', () => {
  it.each([
    [
      'objects under their service, pods under the Deployment, drift and messages under the object',
      report([
        {
          service: 'api',
          resources: [
            node('Secret', 'api-env'),
            node('Deployment', 'api', { health: 'progressing', message: '1 of 3 replicas available', drift: ['spec.replicas: 3 (want 1)'], children: [node('Pod', 'api-7d9c-x2k4p')] }),
          ],
        },
        { service: 'web', resources: [] },
      ]),
      ['dev (kubernetes)', 'api', '  Secret/api-env  healthy', '  Deployment/api  progressing  1 of 3 replicas available', '    drift: spec.replicas: 3 (want 1)', '    Pod/api-7d9c-x2k4p  healthy', 'web', '  (no objects)'],
    ],
    ['an environment without services', report([]), ['dev (kubernetes)', 'No services here yet.']],
    [
      'a target without objects',
      report([{ service: 'api', resources: [] }], { target: 'local', supported: false }),
      ['dev (local)', 'The local target has no objects to list; see `slipway status` for the services.'],
    ],
  ])('prints %s', (_what, input, expected) => {
    // Tests write to no terminal: the lines carry no colour codes.
    expect(resourceTreeLines(input)).toEqual(expected);
  });
});
