import { describe, expect, it } from 'vitest';
import { eventTriggers, type TriggerEvent } from './event-triggers.js';
import { parseWorkflow } from './parse-workflow.js';

/** A workflow with the given `on:` block, parsed as a user would write it. */
const withOn = (on: string) => {
  const { value, errors } = parseWorkflow(`${on}\njobs:\n  a:\n    steps:\n      - run: x\n`, 'w.yaml');
  if (!value) throw new Error(errors.map((e) => e.format()).join('\n'));
  return value;
};

const push = (ref: { branch?: string; tag?: string }, changed: string[] | null = ['src/a.ts']): TriggerEvent => ({ name: 'push', ...ref, changed });
const pr = (branch: string, types?: string, changed: string[] = ['src/a.ts']): TriggerEvent => ({ name: 'pull_request', branch, changed, ...(types ? { types } : {}) });

describe('eventTriggers', () => {
  it.each([
    // Push: branches and tags are separate refs; a filter on one kind only ignores pushes of the other kind.
    ['on: push', push({ tag: 'v1.0.0' }), true, 'push'],
    ['on:\n  push:\n    tags: [v*]', push({ tag: 'v1.0.0' }), true, 'push'],
    ['on:\n  push:\n    tags: [v*]', push({ tag: 'nightly' }), false, 'tag nightly not in on.push.tags'],
    ['on:\n  push:\n    tags-ignore: ["*-rc*"]', push({ tag: 'v2-rc1' }), false, 'tag v2-rc1 ignored'],
    ['on:\n  push:\n    tags-ignore: ["*-rc*"]', push({ tag: 'v2' }), true, 'push'],
    ['on:\n  push:\n    tags-ignore: ["*-rc*"]', push({ branch: 'main' }), false, 'workflow runs on tag pushes only'],
    ['on:\n  push:\n    branches: [main]', push({ tag: 'v1' }), false, 'workflow runs on branch pushes only'],
    ['on:\n  push:\n    branches: [main]\n    tags: [v*]', push({ tag: 'v1' }), true, 'push'],
    // GitHub does not evaluate path filters for tag pushes.
    ['on:\n  push:\n    paths: [docs/**]', push({ tag: 'v1' }, ['src/a.ts']), true, 'push'],
    // `!` patterns exclude what earlier patterns included, in order.
    ['on:\n  push:\n    branches: [release/**, "!release/**-alpha"]', push({ branch: 'release/2-alpha' }), false, 'branch release/2-alpha not in on.push.branches'],
    ['on:\n  push:\n    branches: [release/**, "!release/**-alpha"]', push({ branch: 'release/2' }), true, 'push'],
    ['on:\n  push:\n    paths: [src/**, "!src/**/*.md"]', push({ branch: 'main' }, ['src/README.md']), false, 'no changed path matches on.push.paths'],
    ['on:\n  push:\n    paths: [src/**, "!src/**/*.md"]', push({ branch: 'main' }, ['src/README.md', 'src/a.ts']), true, 'src/a.ts matches on.push.paths'],
    // Pull requests: branch filters apply to the base branch; activity types default to opened, synchronize, reopened.
    ['on: pull_request', pr('main', 'opened'), true, 'pull_request'],
    ['on: pull_request', pr('main', 'closed'), false, 'activity type closed is not one of the defaults (opened, synchronize, reopened)'],
    ['on:\n  pull_request:\n    types: [closed]', pr('main', 'closed'), true, 'pull_request'],
    ['on:\n  pull_request:\n    types: [closed]', pr('main', 'opened'), false, 'activity type opened not in on.pull_request.types'],
    ['on:\n  pull_request:\n    branches: [main]', pr('develop'), false, 'base branch develop not in on.pull_request.branches'],
    ['on:\n  pull_request:\n    branches-ignore: [wip/**]', pr('wip/x'), false, 'base branch wip/x ignored'],
    ['on:\n  pull_request:\n    paths: [src/**]', pr('main', undefined, ['README.md']), false, 'no changed path matches on.pull_request.paths'],
    ['on:\n  pull_request:\n    paths-ignore: ["**.md"]', pr('main', undefined, ['README.md', 'src/a.ts']), true, 'src/a.ts changed'],
    ['on:\n  pull_request_target:\n    branches: [main]', { name: 'pull_request_target', branch: 'main' }, true, 'pull_request_target'],
    ['on: pull_request', { name: 'pull_request_target', branch: 'main' }, false, 'workflow has no pull_request_target trigger'],
    // Path filters with unknown changes match.
    ['on:\n  pull_request:\n    paths: [src/**]', { name: 'pull_request', branch: 'main' }, true, 'changed paths unknown'],
    // Dispatch and schedule have no filters.
    ['on:\n  workflow_dispatch:\n    inputs:\n      x: {}', { name: 'workflow_dispatch' }, true, 'workflow_dispatch'],
    ['on:\n  schedule:\n    - cron: "0 0 * * *"', { name: 'schedule' }, true, 'schedule'],
    ['on: push', { name: 'schedule' }, false, 'workflow has no schedule trigger'],
    // Other events: accepted, filtered by activity type when the workflow lists types.
    ['on:\n  release:\n    types: [published]', { name: 'release', types: 'published' }, true, 'release'],
    ['on:\n  release:\n    types: [published]', { name: 'release', types: 'created' }, false, 'activity type created not in on.release.types'],
    ['on: [issues]', { name: 'issues', types: 'opened' }, true, 'issues'],
  ])('%s with %j → %s', (on, event, triggered, reason) => {
    expect(eventTriggers(withOn(on), event)).toEqual({ triggered, reason });
  });

  it('does not take inherited object keys for triggers', () => {
    expect(eventTriggers(withOn('on: push'), { name: 'toString' })).toEqual({ triggered: false, reason: 'workflow has no toString trigger' });
  });
});
