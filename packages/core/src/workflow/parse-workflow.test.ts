import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobOrder, parseWorkflow } from './parse-workflow.js';
import type { Workflow } from './schema.js';

const fixture = (name: string) => readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8');
const parse = (name: string) => parseWorkflow(fixture(name), `.slipway/workflows/${name}`);

describe('parseWorkflow', () => {
  it('accepts a valid workflow and normalises its shorthands', () => {
    const { value, errors } = parse('ci.yaml');
    expect(errors).toEqual([]);
    expect(value?.name).toBe('CI');
    expect(value?.on).toEqual({ push: { branches: ['main', 'release/**'], 'paths-ignore': ['docs/**', '**.md'] } });
    // Scalars in env maps become strings; a single `needs` becomes a list.
    expect(value?.env).toEqual({ CI: 'true' });
    expect(value?.jobs.build?.steps[0]?.env).toEqual({ RETRIES: '3' });
    expect(value?.jobs.package?.needs).toEqual(['build']);
    expect(value?.jobs.build?.defaults?.run).toEqual({ shell: 'sh', 'working-directory': 'services/api' });
    expect(value?.jobs.package?.steps[0]).toEqual({ uses: 'actions/upload-artifact@v4', with: { name: 'dist' } });
  });

  it.each([
    ['unknown-need.yaml', '.slipway/workflows/unknown-need.yaml:7:19: SLW_WORKFLOW_INVALID jobs.deploy.needs: unknown job "biuld"', 'Known jobs: test, deploy.'],
    ['cycle.yaml', '.slipway/workflows/cycle.yaml:3:3: SLW_WORKFLOW_INVALID jobs: dependency cycle between a, b, c', undefined],
    ['step-without-run.yaml', '.slipway/workflows/step-without-run.yaml:6:9: SLW_WORKFLOW_INVALID jobs.test.steps[1]: a step needs "run" or "uses"', undefined],
  ])('rejects %s with file:line:col', (name, formatted, hint) => {
    const { value, errors } = parse(name);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.format())).toEqual([formatted]);
    expect(errors[0]?.code).toBe('SLW_WORKFLOW_INVALID');
    if (hint) expect(errors[0]?.hint).toBe(hint);
  });

  it('reports every graph error, not only the first', () => {
    const text = `on: push
jobs:
  a:
    needs: [x, y]
    steps:
      - name: nothing to do
`;
    expect(parseWorkflow(text, 'w.yaml').errors.map((e) => e.format())).toEqual([
      'w.yaml:4:13: SLW_WORKFLOW_INVALID jobs.a.needs: unknown job "x"',
      'w.yaml:4:16: SLW_WORKFLOW_INVALID jobs.a.needs: unknown job "y"',
      'w.yaml:6:9: SLW_WORKFLOW_INVALID jobs.a.steps[0]: a step needs "run" or "uses"',
    ]);
  });

  it.each([
    ['a job without steps', 'on: push\njobs:\n  a:\n    steps: []\n', 'SLW_WORKFLOW_INVALID', /^w\.yaml:4:12: SLW_WORKFLOW_INVALID jobs\.a\.steps: /],
    ['no `on`', 'jobs:\n  a:\n    steps:\n      - run: x\n', 'SLW_WORKFLOW_INVALID', /^w\.yaml:1:1: SLW_WORKFLOW_INVALID on: /],
    ['a job id that is not a name', 'on: push\njobs:\n  1bad:\n    steps:\n      - run: x\n', 'SLW_WORKFLOW_INVALID', /^w\.yaml:\d+:\d+: SLW_WORKFLOW_INVALID jobs\.1bad: /],
    ['an unknown shell', 'on: push\njobs:\n  a:\n    steps:\n      - run: x\n        shell: pwsh\n', 'SLW_WORKFLOW_INVALID', /^w\.yaml:6:16: SLW_WORKFLOW_INVALID jobs\.a\.steps\[0\]\.shell: /],
    // Broken YAML keeps its own code: the fix is in the syntax, not in the workflow's meaning.
    ['broken YAML', 'on: push\njobs: {a: {steps: [{run: x}]}}\nbogus: [', 'SLW_CONFIG_YAML', /^w\.yaml:3:\d+: SLW_CONFIG_YAML /],
  ])('rejects %s', (_what, text, code, formatted) => {
    const { value, errors } = parseWorkflow(text, 'w.yaml');
    expect(value).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe(code);
    expect(errors[0]?.format()).toMatch(formatted);
  });

  it.each([
    ['a string', 'on: push', { push: {} }],
    ['a list', 'on: [push, pull_request]', { push: {}, pull_request: {} }],
    ['a map with an empty push', 'on:\n  push:', { push: {} }],
    ['a map with filters', 'on:\n  push:\n    branches: main\n    paths: [src/**]', { push: { branches: ['main'], paths: ['src/**'] } }],
    ['a map without push', 'on:\n  workflow_dispatch: {}', { workflow_dispatch: {} }],
  ])('accepts `on` as %s', (_what, on, expected) => {
    const { value, errors } = parseWorkflow(`${on}\njobs:\n  a:\n    steps:\n      - run: x\n`, 'w.yaml');
    expect(errors).toEqual([]);
    expect(value?.on).toEqual(expected);
  });
});

describe('jobOrder', () => {
  const wf = (needs: Record<string, string[]>): Workflow => ({
    on: { push: {} },
    jobs: Object.fromEntries(Object.entries(needs).map(([id, n]) => [id, { needs: n, steps: [{ run: 'x' }] }])),
  });

  it.each([
    ['independent jobs run in one wave', { a: [], b: [], c: [] }, [['a', 'b', 'c']]],
    ['a chain runs one job per wave', { c: ['b'], b: ['a'], a: [] }, [['a'], ['b'], ['c']]],
    ['a diamond', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }, [['a'], ['b', 'c'], ['d']]],
    ['a job waits for its slowest need', { a: [], b: ['a'], c: ['a', 'b'], d: [] }, [['a', 'd'], ['b'], ['c']]],
  ])('%s', (_what, needs, expected) => {
    expect(jobOrder(wf(needs))).toEqual(expected);
  });

  it('orders the fixture in waves', () => {
    expect(jobOrder(parse('ci.yaml').value!)).toEqual([['lint', 'test'], ['build'], ['package', 'smoke']]);
  });

  it('throws on a cycle, naming only the jobs that cannot run', () => {
    expect(() => jobOrder(wf({ ok: [], a: ['b'], b: ['a'] }))).toThrow('jobs: dependency cycle between a, b');
  });
});
