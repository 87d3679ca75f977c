import { describe, expect, it } from 'vitest';
import { memoryBytes, renderResources } from './resources.js';
import { parseConfig } from './parse-config.js';

describe('resources', () => {
  it('reads memory sizes in bytes, K/M/G and Ki/Mi/Gi', () => {
    expect([memoryBytes(1000), memoryBytes('512Mi'), memoryBytes('1Gi'), memoryBytes('256M'), memoryBytes('1.5G')]).toEqual([1000, 536870912, 1073741824, 256000000, 1500000000]);
  });

  it("takes an environment's limits over the service's, field by field", () => {
    expect(renderResources(undefined, undefined)).toBeUndefined();
    expect(renderResources({ memory: '256Mi', cpus: 1 }, { cpus: 0.25 })).toEqual({ memoryBytes: 268435456, cpus: 0.25 });
  });

  it('refuses a size without a known unit, with its position', () => {
    const r = parseConfig('project: p\nservices:\n  api:\n    path: api\n    command: x\n    resources: { memory: 12 bananas }\n');
    expect(r.errors.map((e) => e.format())).toEqual(['slipway.yaml:6:26: SLW_CONFIG_INVALID services.api.resources.memory: must be bytes, or a number with Ki, Mi, Gi, K, M or G']);
  });
});
