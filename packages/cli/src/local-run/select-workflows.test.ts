import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '@slipway/core';
import { findWorkflowByName, selectWorkflows, type LoadedWorkflow } from './select-workflows.js';

const load = (rel: string, text: string): LoadedWorkflow => {
  const parsed = parseWorkflow(text, rel);
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format()).join('\n'));
  return { file: { abs: `/repo/${rel}`, rel, shown: rel }, workflow: parsed.value };
};
const ci = load('.slipway/workflows/ci.yml', 'name: CI\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    steps: [{ run: echo }]\n  test:\n    steps: [{ run: echo }]\n');
const deploy = load('.slipway/workflows/deploy.yml', 'name: Deploy\non:\n  workflow_dispatch:\n    inputs:\n      env: { type: string }\njobs:\n  deploy:\n    steps: [{ run: echo }]\n');
const nightly = load('.github/workflows/nightly.yml', 'on:\n  schedule: [{ cron: "0 3 * * *" }]\njobs:\n  build:\n    steps: [{ run: echo }]\n');
const all = [ci, deploy, nightly];

describe('selectWorkflows', () => {
  it.each([
    ['push by default, filters not applied', {}, 'push', [ci]],
    ['the event given', { event: 'schedule' }, 'schedule', [nightly]],
    ['workflow_dispatch when inputs are given', { wantsInputs: true }, 'workflow_dispatch', [deploy]],
    ['only workflows with the job', { event: 'push', job: 'test' }, 'push', [ci]],
    ['a named workflow on its own event', { explicit: deploy }, 'workflow_dispatch', [deploy]],
    ['a named workflow on push when it has it', { explicit: ci }, 'push', [ci]],
    ['a named workflow on any event asked for', { explicit: ci, event: 'pull_request' }, 'pull_request', [ci]],
  ])('%s', (_name, req, event, workflows) => {
    expect(selectWorkflows(all, { wantsInputs: false, ...req })).toEqual({ event, workflows });
  });

  it('says which events exist when nothing runs, and suggests a job', () => {
    expect(() => selectWorkflows(all, { wantsInputs: false, event: 'release' })).toThrow(/no workflow runs on release/);
    expect(() => selectWorkflows(all, { wantsInputs: false, job: 'tset' })).toThrow(/no job "tset" in .*ci\.yml \(did you mean "test"\?\)/);
  });
});

describe('findWorkflowByName', () => {
  it.each([['ci', ci], ['ci.yml', ci], ['deploy', deploy], ['Deploy', deploy], ['nightly', nightly]])('%s', (name, expected) => {
    expect(findWorkflowByName(name, all)).toBe(expected);
  });
  it('suggests a close name', () => {
    expect(() => findWorkflowByName('deplyo', all)).toThrow(/no workflow "deplyo" \(did you mean "deploy"\?\)/);
  });
});
