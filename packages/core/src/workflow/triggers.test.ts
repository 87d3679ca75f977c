import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './parse-workflow.js';
import { pushTriggers, type PushEvent } from './triggers.js';

/** A workflow with the given `on:` block, parsed as a user would write it. */
const withOn = (on: string) => {
  const { value, errors } = parseWorkflow(`${on}\njobs:\n  a:\n    steps:\n      - run: x\n`, 'w.yaml');
  if (!value) throw new Error(errors.map((e) => e.format()).join('\n'));
  return value;
};

const push = (branch: string, changed: string[] | null = ['src/index.ts']): PushEvent => ({ branch, changed });

describe('pushTriggers', () => {
  it.each([
    // No push trigger at all.
    ['on: pull_request', push('main'), false, 'workflow has no push trigger'],
    ['on: [pull_request, workflow_dispatch]', push('main'), false, 'workflow has no push trigger'],
    ['on:\n  workflow_dispatch: {}', push('main', null), false, 'workflow has no push trigger'],
    // Any push.
    ['on: push', push('feature/x'), true, 'push'],
    ['on: [push]', push('main', []), true, 'push'],
    ['on:\n  push:', push('main'), true, 'push'],
    // branches.
    ['on:\n  push:\n    branches: main', push('main'), true, 'push'],
    ['on:\n  push:\n    branches: main', push('develop'), false, 'branch develop not in on.push.branches'],
    ['on:\n  push:\n    branches: [main, release/*]', push('release/1.2'), true, 'push'],
    ['on:\n  push:\n    branches: [main, release/*]', push('release/1.2/hotfix'), false, 'branch release/1.2/hotfix not in on.push.branches'],
    ['on:\n  push:\n    branches: [release/**]', push('release/1.2/hotfix'), true, 'push'],
    // branches-ignore.
    ['on:\n  push:\n    branches-ignore: [wip/**]', push('wip/try'), false, 'branch wip/try ignored'],
    ['on:\n  push:\n    branches-ignore: [wip/**]', push('main'), true, 'push'],
    // Branch filters apply even to the first commit.
    ['on:\n  push:\n    branches: main', push('develop', null), false, 'branch develop not in on.push.branches'],
    // paths.
    ['on:\n  push:\n    paths: [src/**]', push('main', ['README.md', 'src/a.ts']), true, 'src/a.ts matches on.push.paths'],
    ['on:\n  push:\n    paths: [src/**]', push('main', ['README.md']), false, 'no changed path matches on.push.paths'],
    ['on:\n  push:\n    paths: [src/**]', push('main', []), false, 'no changed path matches on.push.paths'],
    // paths-ignore.
    ['on:\n  push:\n    paths-ignore: [docs/**, "**.md"]', push('main', ['docs/a.txt', 'README.md']), false, 'every changed path is in on.push.paths-ignore'],
    ['on:\n  push:\n    paths-ignore: [docs/**, "**.md"]', push('main', ['docs/a.txt', 'src/a.ts']), true, 'src/a.ts changed'],
    // The first commit seen: changed paths are unknown, so path filters match.
    ['on:\n  push:\n    paths: [src/**]', push('main', null), true, 'first commit seen'],
    ['on:\n  push:\n    paths-ignore: ["**"]', push('main', null), true, 'first commit seen'],
    // Branch and path filters combine.
    ['on:\n  push:\n    branches: [main]\n    paths: [src/**]', push('main', ['src/a.ts']), true, 'src/a.ts matches on.push.paths'],
    ['on:\n  push:\n    branches: [main]\n    paths: [src/**]', push('dev', ['src/a.ts']), false, 'branch dev not in on.push.branches'],
  ])('%s with %j → %s', (on, event, triggered, reason) => {
    expect(pushTriggers(withOn(on), event)).toEqual({ triggered, reason });
  });
});

describe('pushTriggers with tag filters', () => {
  it('does not run a tag-only workflow on a branch push, as GitHub Actions does', () => {
    const wf = parseWorkflow('on:\n  push:\n    tags: [v*]\njobs:\n  a:\n    steps:\n      - run: echo\n', 'tags.yml').value!;
    expect(pushTriggers(wf, { branch: 'main', changed: ['x'] })).toEqual({ triggered: false, reason: 'workflow runs on tag pushes only' });
  });
  it('still runs on branches when branches are listed next to tags', () => {
    const wf = parseWorkflow('on:\n  push:\n    tags: [v*]\n    branches: [main]\njobs:\n  a:\n    steps:\n      - run: echo\n', 'tags.yml').value!;
    expect(pushTriggers(wf, { branch: 'main', changed: ['x'] }).triggered).toBe(true);
  });
});
