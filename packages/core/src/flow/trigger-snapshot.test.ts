import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.js';
import { parseWorkflow } from '../workflow/parse-workflow.js';
import { advanceSnapshot, decideTriggers, maxSnapshotPushes, rebaseSnapshot, snapshotHead, type TriggerSnapshot } from './trigger-snapshot.js';

const config = parseConfig(readFileSync(new URL('testdata/monorepo.slipway.yaml', import.meta.url), 'utf8'), 'slipway.yaml').value!;
const workflow = (paths: string) => parseWorkflow(`on:\n  push:\n    paths: ['${paths}']\njobs:\n  t:\n    runs-on: host\n    steps:\n      - run: "true"\n`, 'w.yml').value;
const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'a');

/** Read from git at commit 1, released at commit 0: services/api changed since. */
const snapshot: TriggerSnapshot = {
  sha: sha(1),
  base: sha(0),
  changed: ['services/api/server.js'],
  configChanged: [],
  config,
  workflows: [
    { file: '.slipway/workflows/api.yml', workflow: workflow('services/api/**') },
    { file: '.slipway/workflows/web.yml', workflow: workflow('services/web/**') },
    { file: '.slipway/workflows/broken.yml', workflow: undefined },
  ],
  pushes: [],
};
const push = (before: number, files: string[] | null) => ({ before: sha(before), files });
const triggered = (inputs: Parameters<typeof decideTriggers>[0]) => {
  const d = decideTriggers(inputs, 'main');
  return { services: d.services.filter((s) => s.triggered).map((s) => s.service), workflows: d.workflows.filter((w) => w.triggered).map((w) => w.file) };
};
const advanced = (r: ReturnType<typeof advanceSnapshot>) => {
  if ('reason' in r) throw new Error(r.reason);
  return r;
};

describe('decideTriggers', () => {
  it('selects services by path and workflows by their push filters; an invalid workflow is queued to fail', () => {
    expect(triggered(snapshot)).toEqual({ services: ['api'], workflows: ['.slipway/workflows/api.yml', '.slipway/workflows/broken.yml'] });
    expect(triggered({ ...snapshot, changed: null }).services).toEqual(['api', 'web', 'auth', 'worker']);
    expect(triggered({ ...snapshot, changed: [], configChanged: ['auth'] }).services).toEqual(['auth']);
  });
});

describe('advanceSnapshot', () => {
  it('adds a push to the head: its changes count with those since the release', () => {
    const r = advanced(advanceSnapshot(snapshot, sha(2), push(1, ['services/web/app.js']), sha(0)));
    expect(snapshotHead(r.snapshot)).toBe(sha(2));
    expect(r.inputs.changed).toEqual(['services/api/server.js', 'services/web/app.js']);
    expect(triggered(r.inputs).workflows).toEqual(['.slipway/workflows/api.yml', '.slipway/workflows/web.yml', '.slipway/workflows/broken.yml']);
    // The next push continues the new head; the first snapshot is untouched.
    expect(advanced(advanceSnapshot(r.snapshot, sha(3), push(2, ['libs/ui/x.css']), sha(0))).inputs.changed).toHaveLength(3);
    expect(snapshot.pushes).toEqual([]);
  });

  it('counts from a newer release when it is the commit read from git or one of the pushes', () => {
    const two = advanced(advanceSnapshot(snapshot, sha(2), push(1, ['services/web/app.js']), sha(0))).snapshot;
    const fromRead = advanced(advanceSnapshot(two, sha(3), push(2, ['services/auth/src/a.ts']), sha(1))).inputs;
    expect(fromRead.changed).toEqual(['services/web/app.js', 'services/auth/src/a.ts']);
    const fromPush = advanced(advanceSnapshot(two, sha(3), push(2, ['services/auth/src/a.ts']), sha(2))).inputs;
    expect(fromPush).toMatchObject({ changed: ['services/auth/src/a.ts'], configChanged: [] });
    expect(triggered(fromPush).services).toEqual(['auth']);
  });

  it.each([
    ['a push that does not continue the head', push(7, ['a']), sha(0), /starts at 0007aaa/],
    ['a new branch', { before: null, files: ['a'] }, sha(0), /a new branch/],
    ['a payload that may not list every file', push(1, null), sha(0), /may not list/],
    ['a change to slipway.yaml', push(1, ['slipway.yaml']), sha(0), /slipway.yaml changed/],
    ['a change to a workflow', push(1, ['.slipway/workflows/api.yml']), sha(0), /api.yml changed/],
    ['a release the snapshot does not know', push(1, ['a']), sha(9), /last release 0009aaa/],
  ])('leaves the decision to git for %s', (_, p, release, reason) => {
    const r = advanceSnapshot(snapshot, sha(2), p, release);
    expect('reason' in r && r.reason).toMatch(reason);
  });

  it('reads .github/workflows as definitions only when slipway.yaml enables them', () => {
    const files = ['.github/workflows/ci.yml'];
    expect('reason' in advanceSnapshot(snapshot, sha(2), push(1, files), sha(0))).toBe(false);
    const github = { ...snapshot, config: { ...config, workflows: { ...config.workflows, githubDir: true } } };
    expect('reason' in advanceSnapshot(github, sha(2), push(1, files), sha(0))).toBe(true);
  });

  it(`keeps at most ${maxSnapshotPushes} pushes after the commit read from git`, () => {
    let s = snapshot;
    for (let i = 0; i < maxSnapshotPushes; i++) s = advanced(advanceSnapshot(s, sha(i + 2), push(i + 1, ['x']), sha(0))).snapshot;
    expect(advanceSnapshot(s, sha(maxSnapshotPushes + 2), push(maxSnapshotPushes + 1, ['x']), sha(0))).toEqual({ reason: `${maxSnapshotPushes} pushes since the last commit read from git` });
  });
});

describe('rebaseSnapshot', () => {
  const three = advanced(advanceSnapshot(advanced(advanceSnapshot(snapshot, sha(2), push(1, ['a']), sha(0))).snapshot, sha(3), push(2, ['b']), sha(0))).snapshot;
  const freshAt = (n: number): TriggerSnapshot => ({ ...snapshot, sha: sha(n), pushes: [] });

  it('keeps the pushes after the commit read from git', () => {
    expect(rebaseSnapshot(three, freshAt(2), sha(1))).toEqual({ ...freshAt(2), pushes: [{ sha: sha(3), files: ['b'] }] });
    expect(rebaseSnapshot(three, freshAt(3), sha(2))).toEqual(freshAt(3));
  });

  it('takes the fresh one when there is none or it follows the head, and keeps a snapshot that is past it', () => {
    expect(rebaseSnapshot(undefined, freshAt(5), null)).toEqual(freshAt(5));
    expect(rebaseSnapshot(three, freshAt(4), sha(3))).toEqual(freshAt(4));
    expect(rebaseSnapshot(three, freshAt(8), sha(7))).toBeUndefined();
  });
});
