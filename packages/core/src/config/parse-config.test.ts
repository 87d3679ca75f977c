import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.js';

const valid = `project: demo
services:
  api:
    path: services/api
    command: node server.js
  web:
    path: services/web
    command: node server.js
    dependsOn: [api]
    env:
      API_URL: \${{ services.api.url }}
environments:
  dev: {}
  staging:
    policy: { promotion: manual }
`;

describe('parseConfig', () => {
  it('accepts a valid file and fills defaults', () => {
    const r = parseConfig(valid);
    expect(r.errors).toEqual([]);
    expect(r.value?.services.api?.health.path).toBe('/healthz');
    expect(Object.keys(r.value!.environments)).toEqual(['dev', 'staging']);
    expect(r.value?.environments.staging?.policy.promotion).toBe('manual');
  });

  it('reports every error with file:line:col and a code', () => {
    const text = `project: demo
services:
  api:
    path: services/api
    comand: node server.js
    port: 80
  web:
    path: services/web
    command: node server.js
    dependsOn: [apii]
`;
    const r = parseConfig(text, 'x/slipway.yaml');
    expect(r.value).toBeUndefined();
    expect(r.errors.map((e) => e.format())).toEqual([
      'x/slipway.yaml:3:3: SLW_CONFIG_INVALID services.api.command: is required',
      'x/slipway.yaml:5:5: SLW_CONFIG_UNKNOWN_KEY unknown key "comand" at services.api',
      'x/slipway.yaml:6:11: SLW_CONFIG_INVALID services.api.port: Too small: expected number to be >=1024',
    ]);
    expect(r.errors[1]?.hint).toContain('command');
  });

  it('reports unknown references after the schema passes', () => {
    const r = parseConfig(valid.replace('dependsOn: [api]', 'dependsOn: [apii]'));
    expect(r.errors.map((e) => e.format())).toEqual(['slipway.yaml:9:17: SLW_CONFIG_REFERENCE services.web.dependsOn[0]: unknown service "apii"']);
  });

  it('checks secret names and service references in env overrides', () => {
    const text = valid.replace('  staging:\n    policy: { promotion: manual }\n', '  staging:\n    overrides:\n      web:\n        env:\n          TOKEN: ${{ secrets.GITHUB_TOKEN }}\n          DB: ${{ services.db.url }}\n');
    expect(parseConfig(text).errors.map((e) => e.format())).toEqual([
      'slipway.yaml:18:18: SLW_CONFIG_REFERENCE environments.staging.overrides.web.env.TOKEN: secret name "GITHUB_TOKEN" is invalid: the GITHUB_ prefix is reserved',
      'slipway.yaml:19:15: SLW_CONFIG_REFERENCE environments.staging.overrides.web.env.DB: unknown service "db"',
    ]);
    expect(parseConfig(valid.replace('API_URL: ${{ services.api.url }}', 'API_URL: ${{ secrets.API_TOKEN }}')).errors).toEqual([]);
  });

  it('finds dependency cycles', () => {
    const r = parseConfig(valid.replace('    path: services/api\n', '    path: services/api\n    dependsOn: [web]\n'));
    expect(r.errors[0]?.message).toMatch(/dependency cycle: (api -> web -> api|web -> api -> web)/);
  });

  it('reports YAML syntax errors with a position', () => {
    const r = parseConfig('project: demo\nservices: [\n', 'a.yaml');
    expect(r.errors[0]?.code).toBe('SLW_CONFIG_YAML');
    expect(r.errors[0]?.position?.file).toBe('a.yaml');
  });
});
