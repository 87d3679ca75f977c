import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobOrder } from './job-order.js';
import { parseWorkflow } from './parse-workflow.js';
import { isCallJob, type StepsJob, type Workflow } from './schema.js';

const testdata = new URL('testdata/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, testdata), 'utf8');
const fixtures = (dir: string) => readdirSync(new URL(dir, testdata)).filter((f) => f.endsWith('.yml')).sort();
/** Parses a fixture under the name the expectations use: its path inside testdata/. */
const parse = (path: string) => parseWorkflow(read(path), path);
const stepsJob = (wf: Workflow | undefined, id: string) => wf?.jobs[id] as StepsJob | undefined;

describe('parseWorkflow: valid fixtures', () => {
  // Each valid/<name>.yml parses without errors to exactly valid/<name>.json: shorthands normalized, nothing dropped.
  it.each(fixtures('valid/'))('%s', (name) => {
    const { value, errors } = parse(`valid/${name}`);
    expect(errors.map((e) => e.format())).toEqual([]);
    expect(value).toEqual(JSON.parse(read(`valid/${name.replace(/\.yml$/, '.json')}`)));
  });

  it('covers at least 40 fixture cases with the invalid ones', () => {
    expect(fixtures('valid/').length + fixtures('invalid/').length).toBeGreaterThanOrEqual(40);
  });
});

describe('parseWorkflow: invalid fixtures', () => {
  // Each invalid/<name>.yml yields exactly the lines of invalid/<name>.errors, in source order: every error, not the first.
  it.each(fixtures('invalid/'))('%s', (name) => {
    const { value, errors } = parse(`invalid/${name}`);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.format())).toEqual(read(`invalid/${name.replace(/\.yml$/, '.errors')}`).trimEnd().split('\n'));
  });
});

describe('parseWorkflow', () => {
  it('normalises the shorthands of the CI fixture', () => {
    const { value, errors } = parse('valid/ci.yml');
    expect(errors).toEqual([]);
    expect(value?.name).toBe('CI');
    expect(value?.on).toEqual({ push: { branches: ['main', 'release/**'], 'paths-ignore': ['docs/**', '**.md'] } });
    // Scalars in env maps become strings; a single `needs` becomes a list.
    expect(value?.env).toEqual({ CI: 'true' });
    expect(stepsJob(value, 'build')?.steps[0]?.env).toEqual({ RETRIES: '3' });
    expect(value?.jobs.package?.needs).toEqual(['build']);
    expect(stepsJob(value, 'build')?.defaults?.run).toEqual({ shell: 'sh', 'working-directory': 'services/api' });
    expect(stepsJob(value, 'package')?.steps[0]).toEqual({ uses: 'actions/upload-artifact@v4', with: { name: 'dist' } });
  });

  it('tells call jobs from steps jobs', () => {
    const { value } = parse('valid/reusable-caller.yml');
    expect(Object.entries(value!.jobs).map(([id, job]) => [id, isCallJob(job)])).toEqual([
      ['build', true],
      ['scan', true],
      ['report', false],
    ]);
  });

  it.each([
    ['unknown-need.yml', 'Known jobs: test, deploy.'],
    ['unknown-job-key.yml', 'Did you mean "runs-on"? Valid keys here: name, needs, if, strategy, permissions, concurrency, runs-on, environment, env, defaults, timeout-minutes, continue-on-error, outputs, container, services, steps.'],
    ['call-job-keys.yml', 'Remove "runs-on" or fix its spelling. Valid keys here: name, needs, if, strategy, permissions, concurrency, uses, with, secrets.'],
    ['step-bad-shell.yml', 'Use bash, sh, pwsh, powershell, python, node, cmd, or a command with {0} for the script file, for example "perl {0}".'],
    ['pull-request-filters.yml', expect.stringMatching(/^Use one of: assigned, unassigned, .*, auto_merge_disabled\.$/)],
    ['on-typos.yml', expect.stringMatching(/^Did you mean "push"\? Known events: branch_protection_rule, /)],
    ['needs-context.yml', 'Add build to jobs.deploy.needs; the needs context holds only the jobs a job needs directly.'],
    ['workflow-call.yml', 'Add "type".'],
    ['cycle.yml', 'Remove one of these needs: jobs that need each other can never start.'],
  ])('gives %s a hint with the fix', (name, hint) => {
    expect(parse(`invalid/${name}`).errors[0]?.hint).toEqual(hint);
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
    ['an unknown shell', 'on: push\njobs:\n  a:\n    steps:\n      - run: x\n        shell: fish\n', 'SLW_WORKFLOW_INVALID', /^w\.yaml:6:16: SLW_WORKFLOW_INVALID jobs\.a\.steps\[0\]\.shell: /],
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
    ['a dispatch input without a type', 'on:\n  workflow_dispatch:\n    inputs:\n      x: {}', { workflow_dispatch: { inputs: { x: { type: 'string' } } } }],
    ['an event GitHub may add later', 'on: [push, some_future_event]', { push: {}, some_future_event: {} }],
  ])('accepts `on` as %s', (_what, on, expected) => {
    const { value, errors } = parseWorkflow(`${on}\njobs:\n  a:\n    steps:\n      - run: x\n`, 'w.yaml');
    expect(errors).toEqual([]);
    expect(value?.on).toEqual(expected);
  });

  it('parses the demo project workflows', () => {
    for (const name of ['api.yml', 'web.yml', 'worker.yml']) {
      const file = new URL(`../../../../examples/demo/.slipway/workflows/${name}`, import.meta.url);
      expect(parseWorkflow(readFileSync(file, 'utf8'), name).errors).toEqual([]);
    }
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
    expect(jobOrder(parse('valid/ci.yml').value!)).toEqual([['lint', 'test'], ['build'], ['package', 'smoke']]);
  });

  it('orders call jobs like any other job', () => {
    expect(jobOrder(parse('valid/reusable-caller.yml').value!)).toEqual([['build', 'scan'], ['report']]);
  });

  it('throws on a cycle, naming only the jobs that cannot run', () => {
    expect(() => jobOrder(wf({ ok: [], a: ['b'], b: ['a'] }))).toThrow('jobs: dependency cycle between a, b');
  });
});
