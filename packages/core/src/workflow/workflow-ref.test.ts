import { describe, expect, it } from 'vitest';
import { parseWorkflowRef, workflowRefProblem } from './workflow-ref.js';

describe('parseWorkflowRef', () => {
  it.each([
    ['./.github/workflows/build.yml', { kind: 'local', path: '.github/workflows/build.yml' }],
    ['./.slipway/workflows/build.yaml', { kind: 'local', path: '.slipway/workflows/build.yaml' }],
    ['octo/repo/.github/workflows/ci.yml@v1', { kind: 'remote', owner: 'octo', repo: 'repo', path: '.github/workflows/ci.yml', ref: 'v1' }],
    ['octo/repo/.github/workflows/ci.yml@feature/x', { kind: 'remote', owner: 'octo', repo: 'repo', path: '.github/workflows/ci.yml', ref: 'feature/x' }],
  ])('parses %s', (uses, ref) => {
    expect(parseWorkflowRef(uses)).toEqual(ref);
    expect(workflowRefProblem(uses)).toBeUndefined();
  });

  it.each([
    ['./build.sh', '"./build.sh" is not a workflow file of this repository (a .yml or .yaml file, not above the root)'],
    ['./a/../../x.yml', '"./a/../../x.yml" is not a workflow file of this repository (a .yml or .yaml file, not above the root)'],
    ['../x.yml', '"../x.yml" is outside the repository; a workflow of this repository is ./path/to/workflow.yml'],
    ['octo/repo/.github/workflows/ci.yml', '"octo/repo/.github/workflows/ci.yml" needs a ref after "@", for example octo/repo/.github/workflows/ci.yml@main'],
    ['octo/repo@v1', '"octo/repo@v1" is not a reusable workflow; a workflow of another repository is owner/repo/.github/workflows/file.yml@ref'],
    ['octo/repo/ci.yml@v1', '"octo/repo/ci.yml@v1" is not a reusable workflow; a workflow of another repository is owner/repo/.github/workflows/file.yml@ref'],
    ['octo/repo/.github/workflows/sub/ci.yml@v1', '"octo/repo/.github/workflows/sub/ci.yml@v1" is not a reusable workflow; a workflow of another repository is owner/repo/.github/workflows/file.yml@ref'],
  ])('refuses %s', (uses, problem) => {
    expect(parseWorkflowRef(uses)).toBeUndefined();
    expect(workflowRefProblem(uses)).toBe(problem);
  });
});
