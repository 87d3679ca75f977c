import { describe, expect, it } from 'vitest';
import { cycloneDxBom } from './sbom.js';

const lockfile = {
  packages: {
    '': { name: 'api', version: '1.0.0', dependencies: { express: '^4.0.0', '@scope/util': '1.0.0' } },
    'node_modules/express': { version: '4.21.0', integrity: 'sha512-AAAA', license: 'MIT', dependencies: { 'debug': '2.6.9' } },
    'node_modules/debug': { version: '4.0.0' },
    'node_modules/express/node_modules/debug': { version: '2.6.9', integrity: 'sha1-AQID' },
    'node_modules/@scope/util': { version: '1.0.0' },
    'node_modules/vitest': { version: '4.0.0', dev: true },
    'node_modules/local-lib': { version: '0.0.1', link: true },
  },
};

describe('cycloneDxBom', () => {
  const bom = cycloneDxBom({
    image: '127.0.0.1:5001/demo/api',
    digest: `sha256:${'a'.repeat(64)}`,
    service: 'api',
    packageJson: { name: 'api', version: '1.0.0', license: 'Apache-2.0', dependencies: { express: '^4.0.0', '@scope/util': '1.0.0' } },
    lockfile,
    base: { name: 'slipway/node:20', id: `sha256:${'b'.repeat(64)}` },
    timestamp: '2026-11-26T10:00:00.000Z',
    serialNumber: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    toolVersion: '0.1.0',
  });

  it('describes the container, its base image and the production npm packages with purls and hashes', () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, metadata: { component: { type: 'container', name: '127.0.0.1:5001/demo/api', version: `sha256:${'a'.repeat(64)}` } } });
    expect(bom.components.map((c) => `${c.type} ${c.name}@${c.version ?? ''}`)).toEqual([
      'application api@1.0.0',
      `container slipway/node:20@sha256:${'b'.repeat(64)}`,
      'library express@4.21.0',
      'library debug@4.0.0',
      'library debug@2.6.9',
      'library @scope/util@1.0.0',
    ]);
    const express = bom.components.find((c) => c.name === 'express')!;
    expect(express).toMatchObject({ purl: 'pkg:npm/express@4.21.0', licenses: [{ expression: 'MIT' }], hashes: [{ alg: 'SHA-512', content: '000000' }] });
    expect(bom.components.find((c) => c.name === '@scope/util')?.purl).toBe('pkg:npm/%40scope/util@1.0.0');
    expect(bom.components.find((c) => c.version === '2.6.9')?.hashes).toEqual([{ alg: 'SHA-1', content: '010203' }]);
  });

  it('resolves dependencies as npm does, from the nearest node_modules', () => {
    const deps = Object.fromEntries(bom.dependencies.map((d) => [d.ref, d.dependsOn]));
    expect(deps['app:api']).toEqual(['pkg:npm/express@4.21.0', 'pkg:npm/%40scope/util@1.0.0']);
    // express has its own nested debug@2.6.9, not the top-level 4.0.0.
    expect(deps['pkg:npm/express@4.21.0']).toEqual(['pkg:npm/debug@2.6.9']);
    expect(deps[`127.0.0.1:5001/demo/api@sha256:${'a'.repeat(64)}`]).toEqual(['app:api', 'base:slipway/node:20']);
  });

  it('is a bare application for a service without a lockfile', () => {
    const bare = cycloneDxBom({ image: 'r/x', digest: `sha256:${'c'.repeat(64)}`, service: 'x', timestamp: 't', serialNumber: 's', toolVersion: '0' });
    expect(bare.components).toEqual([{ type: 'application', 'bom-ref': 'app:x', name: 'x' }]);
  });
});
