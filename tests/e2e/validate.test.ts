import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './harness.js';

describe('slipway validate', () => {
  const dir = tempDir('validate');
  afterAll(() => dir.remove());

  it('prints every error with file:line:col and a code, and exits 2', async () => {
    const file = join(dir.path, 'slipway.yaml');
    writeFileSync(
      file,
      ['project: shop', 'services:', '  api:', '    path: services/api', '    comand: node server.js', '    port: 80', '  web:', '    path: services/web', '    command: node server.js', 'environments:', '  dev: {}', ''].join('\n'),
    );
    const res = await cli(['validate', file]);
    expect(res.code).toBe(2);
    const lines = res.stderr.split('\n').filter((l) => /: SLW_/.test(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/slipway\.yaml:\d+:\d+: SLW_CONFIG_[A-Z_]+ /);
    expect(res.stderr).toMatch(/hint:/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('checks the workflows too, and accepts the demo project', async () => {
    const ok = await cli(['validate', 'examples/demo']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    mkdirSync(join(dir.path, 'wf', '.slipway', 'workflows'), { recursive: true });
    writeFileSync(join(dir.path, 'wf', 'slipway.yaml'), 'project: p\nservices:\n  a:\n    path: a\n    command: node a.js\n');
    writeFileSync(join(dir.path, 'wf', '.slipway', 'workflows', 'ci.yml'), 'on: push\njobs:\n  test:\n    needs: [build]\n    steps:\n      - run: echo hi\n');
    const bad = await cli(['validate', join(dir.path, 'wf'), '--json']);
    expect(bad.code).toBe(2);
    const out = JSON.parse(bad.stdout) as { errors: { code: string; formatted: string }[] };
    expect(out.errors[0]?.code).toBe('SLW_WORKFLOW_INVALID');
    expect(out.errors[0]?.formatted).toMatch(/ci\.yml:4:\d+: SLW_WORKFLOW_INVALID jobs\.test\.needs: unknown job "build"/);
  });

  it('gives a clear error, never a stack trace, for a missing file and bad usage', async () => {
    const missing = await cli(['validate', join(dir.path, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SLW_CONFIG_NOT_FOUND/);
    const usage = await cli(['frobnicate']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/SLW_USAGE/);
  });
});
